"""The Arabic language layer: normalisation, tokens, stems, the analyser, dates, attribution lines and
language identification. Pure functions: no I/O, no database."""

from marsad.arabic.analyse import analyse
from marsad.arabic.attribution import Attribution, attribution
from marsad.arabic.dates import DateMention, ParsedDate, find_dates, parse_date
from marsad.arabic.language import language
from marsad.arabic.normalise import normalise
from marsad.arabic.stem import light10, stem
from marsad.arabic.stopwords import STOPWORDS
from marsad.arabic.tokens import tokens

__all__ = [
    "STOPWORDS",
    "Attribution",
    "DateMention",
    "ParsedDate",
    "analyse",
    "attribution",
    "find_dates",
    "language",
    "light10",
    "normalise",
    "parse_date",
    "stem",
    "tokens",
]
