"""Citation styles: how a reference list entry and an in-text citation are written.

Every rule lives here, once per style, one module each: `apa` (APA 7
author–year; the default), `vancouver` (NLM/ICMJE numbered in order of first
citation) and `ama` (AMA 11th edition, superscript numbers). A style first
`prepare`s the listed entries (order, 2014a/2014b, numbers), then formats
entries and citations against that fixed context.
"""

from __future__ import annotations

from pipeline.citation_styles.ama import Ama
from pipeline.citation_styles.apa import Apa
from pipeline.citation_styles.common import Context
from pipeline.citation_styles.vancouver import Vancouver

STYLES = {"apa": Apa(), "vancouver": Vancouver(), "ama": Ama()}

__all__ = ["STYLES", "Context", "Apa", "Vancouver", "Ama"]
