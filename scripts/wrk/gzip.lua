-- Asks for gzip, as every browser and CDN does.
wrk.headers["Accept-Encoding"] = "gzip"
