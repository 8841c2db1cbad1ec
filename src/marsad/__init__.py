"""Marsad (مرصد): collect, extract, link and search Arabic news."""

__version__ = "0.1.0"
