"""Watchlists and alerts: what a reader follows, matched as new articles are linked and indexed, and told
through a private feed, signed webhooks and e-mail.

    follow.create(store, name, Follow(...))   a watchlist (marsad.store.watchlists keeps it)
    follow.edit(store, w, name=..., ...)      its name and alerts, changed
    match.match_new(store, ids, analysed)     ingest's hook: new articles against every watchlist
    deliver.deliver_pending(store, channels)  alerts owed, sent; failures retried with backoff
"""
