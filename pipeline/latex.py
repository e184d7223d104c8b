"""LaTeX and biblatex markup in .bib fields as plain Unicode text.

pylatexenc knows LaTeX's accents and macros; it is taught biblatex's own text
macros here (`\\hyphen`, `\\mkbibquote{}`, `\\addcomma`…), so no TeX reaches a page.
"""

from __future__ import annotations

import re

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# biblatex's own text macros, which pylatexenc does not know: each as Unicode (or nothing, for spacing hints).
_BIBLATEX_WITH_ARGUMENT = {"enquote": "\u201c%s\u201d", "mkbibquote": "\u201c%s\u201d", "mkbibemph": "%s",
                           "mkbibitalic": "%s", "mkbibbold": "%s", "mkbibacro": "%s", "noopsort": "",
                           "mkbibsuperscript": "%s", "mkbibparens": "(%s)", "mkbibbrackets": "[%s]",
                           "textnormal": "%s", "textup": "%s", "textsl": "%s", "textsf": "%s", "texttt": "%s",
                           "url": "%s", "nolinkurl": "%s", "mbox": "%s", "hbox": "%s"}
_BIBLATEX_PLAIN = {"hyphen": "-", "slash": "/", "nopp": "", "adddot": ".", "addcomma": ",", "addcolon": ":",
                   "addsemicolon": ";", "addperiod": ".", "addspace": " ", "addnbspace": "\u00a0",
                   "addthinspace": "\u2009", "addnbthinspace": "\u202f", "texteuro": "\u20ac", "euro": "\u20ac",
                   "textpound": "\u00a3", "S": "\u00a7", "P": "\u00b6", "textregistered": "\u00ae",
                   "texttrademark": "\u2122", "textcopyright": "\u00a9", "textdegree": "\u00b0",
                   "textmu": "\u00b5", "textpm": "\u00b1", "textquotesingle": "'", "textbackslash": "\\",
                   "bibrangedash": "\u2013", "bibdatedash": "\u2013", "textendash": "\u2013",
                   "textemdash": "\u2014", "nobreakspace": "\u00a0", "isdot": "", "bibstring": "",
                   "relax": "", "ppspace": "\u00a0", "pno": "p.", "ppno": "pp.", "newblock": " ", "break": " "}


def _latex_contexts():
    """pylatexenc's parsing and text databases, both taught the biblatex macros above."""
    walker = latexwalker.get_default_latex_context_db()
    walker.add_context_category("biblatex", prepend=True, macros=(
        [macrospec.MacroSpec(name, "{") for name in _BIBLATEX_WITH_ARGUMENT]
        + [macrospec.MacroSpec(name, "") for name in _BIBLATEX_PLAIN]))
    text = get_default_latex_context_db()
    text.add_context_category("biblatex", prepend=True, macros=(
        [MacroTextSpec(name, shown) for name, shown in _BIBLATEX_WITH_ARGUMENT.items()]
        + [MacroTextSpec(name, shown) for name, shown in _BIBLATEX_PLAIN.items()]))
    return walker, text


_WALKER_MACROS, _TEXT_MACROS = _latex_contexts()
_LATEX = LatexNodes2Text(latex_context=_TEXT_MACROS, math_mode="text", keep_comments=False)


# TeX's quote ligatures, which pylatexenc leaves as they are.
_QUOTES = ((re.compile(r"(?<!\\)``"), "\u201c"), (re.compile(r"(?<!\\)''"), "\u201d"),
           (re.compile(r"(?<!\\)`"), "\u2018"))


def latex_to_text(value: str) -> str:
    """LaTeX markup (accents, macros, braces, `--`, ``quotes'') as plain Unicode text."""
    for tex, unicode in _QUOTES:  # not \` or \'' (accents)
        value = tex.sub(unicode, value)
    if not any(c in value for c in "\\{}$~-"):
        return value
    text = _LATEX.latex_to_text(value, latex_context=_WALKER_MACROS)
    return re.sub(r"\s+", " ", text).strip()
