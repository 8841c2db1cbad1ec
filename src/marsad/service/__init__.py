"""The long-running service, `marsad run`: the reader, the crawler on schedule and the housekeeping in one
process, with graceful shutdown and structured logs (runner.py, logs.py)."""
