"""Reporting's read side: Postgres → HTTP (routers, `auth`, `schemas`, `store/` with every read
query). Its edge is `services/reporting/api.py`, which mounts the routers."""
