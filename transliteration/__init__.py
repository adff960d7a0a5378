"""Pure text handling for names in any script: detection, normalisation, romanisation.

- `detect_script`: the ISO 15924 code of a token's script;
- `clean_text`, `normalise_name`: invisible and optional characters removed, letter
  variants unified;
- `romanise`: candidate Latin spellings of one token;
- `phonetic_fold`, `consonant_skeleton`, `vowel_agnostic`: the comparison forms of a
  Latin spelling.

Nothing here knows the web, the database or the environment.
"""

from transliteration.latin import consonant_skeleton, phonetic_fold, vowel_agnostic
from transliteration.normalise import clean_text, normalise_name
from transliteration.romanise import romanise
from transliteration.scripts import detect_script

__all__ = [
    "clean_text",
    "consonant_skeleton",
    "detect_script",
    "normalise_name",
    "phonetic_fold",
    "romanise",
    "vowel_agnostic",
]
