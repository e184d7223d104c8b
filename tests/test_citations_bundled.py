"""Golden strings for the bundled review's 10 references, in both styles and both citation forms."""

from __future__ import annotations

import shutil

import pytest

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.model import plain_text

# In order of first citation in the seed, so Vancouver numbers follow it; then the one listed by nocite.
KEYS = ["volpicelli1995", "toljan2018", "younger2009", "rahn2016", "mischoulon2021", "eshghi2020",
        "chopra2019", "younger2014inflammation", "brown2009", "younger2014trial"]

APA = {
    "brown2009": "Brown, N., & Panksepp, J. (2009). Low-dose naltrexone for disease prevention and quality of life. "
                 "Medical Hypotheses, 72(3), 333–337.",
    "chopra2019": "Chopra, P., & Caldito, G. (2019). Low-dose naltrexone for treatment of multiple sclerosis: "
                  "A retrospective chart review of safety and tolerability. Journal of Clinical Psychopharmacology, "
                  "39(5), 489–491.",
    "eshghi2020": "Eshghi, E., Hosseininejad, S. M., & Kamali, M. (2020). The effect of low-dose naltrexone on "
                  "depression and pain in patients with treatment-resistant depression: A case series. Iranian "
                  "Journal of Psychiatry, 15(1), 84–87.",
    "mischoulon2021": "Mischoulon, D., Hylek, L., Yeung, A. S., Clain, A. J., Baer, L., Cusin, C., Ionescu, D. F., "
                      "Alpert, J. E., Soskin, D. P., Fava, M., & Papakostas, G. I. (2021). A double-blind, "
                      "randomized, placebo-controlled, parallel-group, pilot study of the safety and efficacy of "
                      "low-dose naltrexone for symptoms of major depressive disorder. Journal of Affective "
                      "Disorders, 281, 424–431.",
    "rahn2016": "Rahn, K. A., McLaughlin, P. J., & Zagon, I. S. (2016). Prevention and diminished expression of "
                "experimental autoimmune encephalomyelitis by low-dose naltrexone (LDN) or opioid growth factor "
                "(OGF) for an extended period: Therapeutic implications for multiple sclerosis. Brain Research "
                "Bulletin, 120, 143–152.",
    "toljan2018": "Toljan, K., & Vrooman, B. (2018). Low-dose naltrexone (LDN)—Review of therapeutic utilization. "
                  "Medical Sciences, 6(4), 82.",
    "volpicelli1995": "Volpicelli, J. R., Alterman, A. I., Hayashida, M., & O'Brien, C. P. (1995). Naltrexone in "
                      "the treatment of alcohol dependence. Archives of General Psychiatry, 49(11), 876–880.",
    "younger2009": "Younger, J., & Mackey, S. (2009). Fibromyalgia symptoms are reduced by low-dose naltrexone: "
                   "A pilot study. Pain Medicine, 10(4), 663–672.",
    "younger2014trial": "Younger, J., Noor, N., McCue, R., & Mackey, S. (2014a). Low-dose naltrexone for the "
                        "treatment of fibromyalgia: Findings of a small, randomized, double-blind, "
                        "placebo-controlled, counterbalanced, crossover trial assessing daily pain levels. "
                        "Arthritis & Rheumatism, 65(2), 529–538.",
    "younger2014inflammation": "Younger, J., Parkitny, L., & McLain, D. (2014b). The use of low-dose naltrexone "
                               "(LDN) as a novel anti-inflammatory treatment for chronic pain. Clinical "
                               "Rheumatology, 33(4), 451–459.",
}

VANCOUVER = [
    "1. Volpicelli JR, Alterman AI, Hayashida M, O'Brien CP. Naltrexone in the treatment of alcohol dependence. "
    "Archives of General Psychiatry. 1995;49(11):876-80.",
    "2. Toljan K, Vrooman B. Low-dose naltrexone (LDN)—Review of therapeutic utilization. Medical Sciences. "
    "2018;6(4):82.",
    "3. Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: A pilot study. "
    "Pain Medicine. 2009;10(4):663-72.",
    "4. Rahn KA, McLaughlin PJ, Zagon IS. Prevention and diminished expression of experimental autoimmune "
    "encephalomyelitis by low-dose naltrexone (LDN) or opioid growth factor (OGF) for an extended period: "
    "Therapeutic implications for multiple sclerosis. Brain Research Bulletin. 2016;120:143-52.",
    "5. Mischoulon D, Hylek L, Yeung AS, Clain AJ, Baer L, Cusin C, et al. A double-blind, randomized, "
    "placebo-controlled, parallel-group, pilot study of the safety and efficacy of low-dose naltrexone for "
    "symptoms of major depressive disorder. Journal of Affective Disorders. 2021;281:424-31.",
    "6. Eshghi E, Hosseininejad SM, Kamali M. The effect of low-dose naltrexone on depression and pain in patients "
    "with treatment-resistant depression: A case series. Iranian Journal of Psychiatry. 2020;15(1):84-7.",
    "7. Chopra P, Caldito G. Low-dose naltrexone for treatment of multiple sclerosis: A retrospective chart review "
    "of safety and tolerability. Journal of Clinical Psychopharmacology. 2019;39(5):489-91.",
    "8. Younger J, Parkitny L, McLain D. The use of low-dose naltrexone (LDN) as a novel anti-inflammatory "
    "treatment for chronic pain. Clinical Rheumatology. 2014;33(4):451-9.",
    "9. Brown N, Panksepp J. Low-dose naltrexone for disease prevention and quality of life. Medical Hypotheses. "
    "2009;72(3):333-7.",
    "10. Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of fibromyalgia: Findings of "
    "a small, randomized, double-blind, placebo-controlled, counterbalanced, crossover trial assessing daily pain "
    "levels. Arthritis & Rheumatism. 2014;65(2):529-38.",
]

APA_CITES = {
    "volpicelli1995": ("(Volpicelli et al., 1995)", "Volpicelli et al. (1995)"),
    "toljan2018": ("(Toljan & Vrooman, 2018)", "Toljan and Vrooman (2018)"),
    "younger2009": ("(Younger & Mackey, 2009)", "Younger and Mackey (2009)"),
    "rahn2016": ("(Rahn et al., 2016)", "Rahn et al. (2016)"),
    "mischoulon2021": ("(Mischoulon et al., 2021)", "Mischoulon et al. (2021)"),
    "eshghi2020": ("(Eshghi et al., 2020)", "Eshghi et al. (2020)"),
    "chopra2019": ("(Chopra & Caldito, 2019)", "Chopra and Caldito (2019)"),
    "younger2014inflammation": ("(Younger et al., 2014b)", "Younger et al. (2014b)"),
    "brown2009": ("(Brown & Panksepp, 2009)", "Brown and Panksepp (2009)"),
    "younger2014trial": ("(Younger et al., 2014a)", "Younger et al. (2014a)"),
}


def citing_review(tmp_path, style: str):
    """The bundled bibliography, cited once in each form per key, in the seed's order."""
    folder = tmp_path / style
    folder.mkdir()
    shutil.copy(BUNDLED / "references.bib", folder / "references.bib")
    body = "\n".join(f"      - '[@{k}] and @{k}.'" for k in KEYS)
    (folder / "review.yaml").write_text(
        f"title: T\nauthors: [{{name: A}}]\nabstract: A.\ncitation_style: {style}\n"
        f"sections:\n  - title: S\n    body:\n{body}\n      - '[@younger2014trial; @younger2014inflammation]'\n")
    document, warnings = load_review(folder)
    assert warnings == []
    return document


def test_apa_reference_list(tmp_path):
    document = citing_review(tmp_path, "apa")
    listed = [(r.key, plain_text(r.runs)) for r in document.bibliography.references]
    assert listed == sorted(APA.items(), key=lambda kv: list(APA).index(kv[0]))


@pytest.mark.parametrize("key", KEYS)
def test_apa_in_text(tmp_path, key):
    document = citing_review(tmp_path, "apa")
    paragraph = document.sections[0].paragraphs[KEYS.index(key)]
    parenthetical, narrative = APA_CITES[key]
    assert plain_text(paragraph.runs) == f"{parenthetical} and {narrative}."


def test_apa_same_author_and_year_grouped_with_suffixes(tmp_path):
    document = citing_review(tmp_path, "apa")
    assert plain_text(document.sections[0].paragraphs[-1].runs) == "(Younger et al., 2014a, 2014b)"


def test_vancouver_reference_list(tmp_path):
    document = citing_review(tmp_path, "vancouver")
    assert [f"{r.label} {plain_text(r.runs)}" for r in document.bibliography.references] == VANCOUVER


def test_vancouver_in_text(tmp_path):
    document = citing_review(tmp_path, "vancouver")
    texts = [plain_text(p.runs) for p in document.sections[0].paragraphs]
    assert texts[0] == "[1] and Volpicelli et al. [1]."
    assert texts[1] == "[2] and Toljan and Vrooman [2]."
    assert texts[-1] == "[8, 10]"
