"""The text of `actui sandbox --help` about faults and odd data (plain strings: cheap to import)."""

FAULTS_HELP = """\
faults (--faults SPEC, a comma-separated list of key=value; `none` turns them off):
  latency=50ms          add this delay to every request (also 0.2s)
  rate_limit=20         429 + Retry-After (whole seconds) beyond 20 requests/s, in the shape of window=
  window=bucket         a token bucket holding one second's worth, refilled at R/s (the default);
                        Retry-After: until the next token
  window=sliding        at most R requests in any sliding second; Retry-After: until the oldest leaves
  window=fixed          at most R requests per clock second; Retry-After: until the second ends
  sliding_limit=10      (older spelling) a sliding window of 10 requests besides rate_limit's limiter,
  sliding_window=2s     of this length (default 1s)
  error_every=5         503 on every 5th request (error_rate=0.1: on 10%, at random)
  drop_every=7          the request runs, then the connection is cut mid-answer (drop_rate=0.05)
  forbidden_every=1     403 "not allowed" (1 = every request; forbidden_rate=P)
  gateway_every=N       502 with nginx's HTML error page (gateway_rate=P)
  traceback_every=N     500 with a server traceback as a text body (traceback_rate=P)
  html_every=N          200 with an HTML maintenance page instead of JSON (html_rate=P)
  truncate_every=N      the request runs; a complete HTTP answer whose JSON is cut in half
  oversize_every=N      the request runs; its JSON grows by oversize_mb MB (default 8) of padding
  stall_every=N         the request runs; headers and half the body, then nothing for stall_for
                        (default 30s) or until the client gives up, then the connection is cut
  hostile_every=N       the request runs; every string in its JSON answer (ids, numbers, dates and
                        cron kept real) carries escape sequences, bidi overrides and markup
  lying_total=-1        list envelopes report this total (and totalPages/hasMore to match)
  duplicates=3          every list page after the first starts with the previous page's last 3 items
  vanish_every=10       every 10th number of the list answers 404 to GET/PUT: listed, then "deleted"
  on=PUT                only requests of these methods meet the faults (PUT+POST for both; default all)
  seed=3                seed of the random choices (the *_rate keys)
"Every Nth" counts every /api/v1 request the faults target (429s included); each *_every key has a
*_rate twin.
503/502/500/403/HTML-200 answers come before the request reaches the API (nothing changes); drop,
truncate, oversize, stall and hostile come after it ran (a PUT or POST took effect).
e.g. --faults latency=50ms,error_every=5,rate_limit=20,hostile_every=1 or rate_limit=50,window=sliding

odd data (--odd): odd-but-real values at fixed list positions (0-based), see actui/sandbox/odd.py:
  1 billingPlanName "P2P Legacy"   2 periodicCron "@daily"   3 an autoForward address "ops@localhost"
  4 unknown fields (top level, settings, inside optOut)   5 status "Porting"
  6 wrongly typed settings: rateLimit "unlimited", noOutboundTexts "no"
"""
