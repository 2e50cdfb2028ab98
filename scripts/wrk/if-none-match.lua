-- Revalidates with the tag in $ETAG, as a browser or CDN holding the page does.
wrk.headers["If-None-Match"] = os.getenv("ETAG")
