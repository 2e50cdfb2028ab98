-- wrk script: PUT /api/me/industry-profile/ with the body the Breneo frontend sends.
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"industry_years_json": {"fintech": 2.5, "e-commerce": 0.8}, "updated_at": "2026-02-10T12:00:00.000Z"}'
