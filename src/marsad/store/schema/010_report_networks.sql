-- Reports counted by network (marsad.web.context): a reader is the salted hash of the client's /24 (IPv4)
-- or /64 (IPv6) network, or of a signed-in account, never of its User-Agent. A network that reports more
-- distinct items in an hour than the burst setting allows has its further reports kept but held: they
-- count toward nothing until a moderator looks at the queue.
ALTER TABLE report ADD COLUMN held INTEGER NOT NULL DEFAULT 0;

-- the global rate limit counts every attempt in the last hour
CREATE INDEX report_attempt_time ON report_attempt(created_at);
-- the burst check counts one network's distinct items in the last hour
CREATE INDEX report_client_time ON report(client, created_at);
