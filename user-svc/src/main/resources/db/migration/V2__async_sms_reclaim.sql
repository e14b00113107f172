-- SPEC §4.5: the worker takes back rows left in "sending" (status 1) by a process that died
-- mid-send: WHERE status = 1 AND utime < ?. utime is the claim time while sending.
CREATE INDEX idx_async_sms_status_utime ON async_sms (status, utime);
