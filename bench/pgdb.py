"""Make sure the PostgreSQL database a DATABASE_URL names exists; with --fresh, drop it first.

    python bench/pgdb.py postgres://postgres@127.0.0.1:5432/seslip [--fresh]

Connects to the server's `postgres` database as the URL's user. Refuses anything but PostgreSQL.
"""

import argparse
import sys

import dj_database_url
import psycopg
from psycopg import sql


def connect_to_server(db):
    return psycopg.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--fresh", action="store_true", help="Drop the database first.")
    args = parser.parse_args()
    db = dj_database_url.parse(args.url)
    if not db["ENGINE"].endswith("postgresql"):
        sys.exit(f"Not a PostgreSQL URL: {args.url}")
    name = db["NAME"]
    with connect_to_server(db) as conn:
        if args.fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.", file=sys.stderr)


if __name__ == "__main__":
    main()
