from runtime.alembic_env import run

run()
