"""Review publishing pipeline: one structured source, every output rendered from it."""

__version__ = "0.1.0"
