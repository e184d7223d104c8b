"""The documented limits on what a review may hold, in one place.

A review is untrusted text: these bound the time and memory one build can
take. `check` enforces every one of them before reading a file whole, so a
review that passes `check` builds. The README lists them with what happens
past each.
"""

from __future__ import annotations

MiB = 2**20

REVIEW_FILE_BYTES = 2 * MiB  # review.yaml, theme.yaml, slides.yaml
BIB_FILE_BYTES = 5 * MiB  # the .bib
FIELD_CHARS = 100_000  # one text field of review.yaml (an abstract, a paragraph)
BIB_FIELD_CHARS = 10_000  # one field of a .bib entry (a title, an author list)
YAML_ALIAS_BUDGET = 10_000  # values YAML aliases may expand into, all aliases together
YAML_DEPTH = 64  # nesting of lists and mappings in a YAML file

IMAGE_FILE_BYTES = 20 * MiB  # one figure file
IMAGE_PIXELS = 50_000_000  # width × height of one raster figure
SVG_ELEMENTS = 10_000  # elements in one SVG figure
SVG_USE_REFERENCES = 500  # <use> references in one SVG figure (each may copy a subtree)
SLIDE_TEXT_CHARS = 5_000  # one bullet, reference or caption on the slides (about 2-4 slides); the article keeps all
