"""The demo-corpus generator: writes `src/marsad/demo/corpus/` (pages, text dumps, expected.json).

Not part of the installed package: `marsad demo` and the tests read the committed corpus through
`marsad.demo`; only the generator and its reproduction test (tests/demo) import this. See README.md.
"""
