"""The read side's SQL: every query the read API, the dashboard and the token commands run.
`kpis` holds the shared KPI query builder (scope column, time bucket, filters)."""
