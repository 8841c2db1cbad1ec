"""The crawl: the orchestrator that keeps outlets' news coming in, beside marsad.ingest.

- `outlets`: adding outlets (feed discovery), OPML import and export; writes the crawled outlets.
- `rounds`: one round or a loop: due feeds -> queued URLs (in the database) -> pages (fetched by
  marsad.sources.http) -> marsad.ingest.
"""
