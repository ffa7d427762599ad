"""Portable backups: every record of the site in one gzipped JSON file, restored exactly.

A backup holds the rows of every model the site keeps content in — derived from the installed
apps, so models added later (history tables too) are included without a change here — with a
manifest of each model's row count and SHA-256 checksum. Only what the code or the server makes
for itself is left out: content types and permissions (rebuilt by `migrate`; references to them
are stored by natural key), sessions and login-protection records. A backup holds password hashes and email addresses, so
it is written readable by its owner only: keep it somewhere as private as the database.

Restoring reads and checks the whole file first (complete, undamaged, matching its manifest, made
by a schema this database has), then loads it in one transaction, checks every foreign key,
recounts and re-checksums every model from the database, and commits only if all agree. Any
failure rolls everything back: nothing half-written is left.

These files suit databases of up to some hundred thousand rows: the whole backup is held in
memory. For a large PostgreSQL database use PostgreSQL's own tools, which stream and restore in
parallel (the database name and role as in DATABASE_URL):

    pg_dump --format=custom --no-owner --file=seslip.dump "$DATABASE_URL"
    createdb seslip_restored
    pg_restore --no-owner --exit-on-error --single-transaction --dbname=seslip_restored seslip.dump

`--format=custom` is compressed and lets pg_restore pick tables; `--single-transaction` with
`--exit-on-error` makes the restore all-or-nothing. Restore into a new, empty database, check it
(`manage.py migrate --check`, a look at the site), then point DATABASE_URL at it. A pg_dump file
only restores into PostgreSQL of the same or a newer major version; these JSON backups restore
into any database Django supports.
"""

import datetime
import gzip
import hashlib
import json
import os
import zlib
from decimal import Decimal
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from newsletters.models import refresh_published_from, refresh_resource_published_from
from seslip.lib.generations import content_changed

FORMAT = "seslip-backup"
VERSION = 1

# Apps and models the code or the server rebuilds by itself.
NOT_BACKED_UP = {"contenttypes", "sessions", "axes", "auth.permission"}

# Models that `migrate` fills (the South East authorities, the roles): a database holding only
# these is empty as far as restoring goes.
SEEDED_BY_MIGRATIONS = {"contacts.organisation", "auth.group"}

BATCH_SIZE = 500  # rows per INSERT at most; fewer where the backend limits query parameters


class BackupError(Exception):
    """A backup could not be made or restored; the message says why, in plain words."""


class ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but keeping microseconds on datetimes and times."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def _json(value):
    return json.dumps(
        value, cls=ExactEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def backed_up_models():
    """Every concrete model holding the site's content, natural-key dependencies first."""
    app_list = []
    for app_config in apps.get_app_configs():
        if app_config.label in NOT_BACKED_UP:
            continue
        models = [
            model
            for model in app_config.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in NOT_BACKED_UP
        ]
        if models:
            app_list.append((app_config, models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def model_rows(model, using="default"):
    """The model's rows in their portable form: JSON-ready, ordered by pk, many-to-many sorted."""
    many_to_many = [f.name for f in model._meta.many_to_many]
    queryset = model._base_manager.using(using).order_by("pk").prefetch_related(*many_to_many)
    rows = []
    for row in serializers.serialize("python", queryset, use_natural_foreign_keys=True):
        fields = row["fields"]
        for name in many_to_many:
            if name in fields:
                fields[name] = sorted(fields[name], key=_json)
        rows.append(json.loads(_json({"pk": row["pk"], "fields": fields})))
    return rows


def checksum(rows):
    digest = hashlib.sha256()
    for row in rows:
        digest.update(_json(row).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def matches(entry, rows):
    """Whether `rows` are the ones the manifest's `entry` counted and checksummed."""
    return len(rows) == entry.get("count") and checksum(rows) == entry.get("sha256")


def applied_migrations(using="default"):
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def make_backup(*, using="default"):
    """The backup as a dict: manifest and rows of every backed-up model, read in one snapshot."""
    connection = connections[using]
    # One consistent snapshot on PostgreSQL; SET TRANSACTION must open the transaction.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using):
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        data, manifest = {}, []
        for model in backed_up_models():
            label = model._meta.label_lower
            data[label] = model_rows(model, using)
            manifest.append(
                {"model": label, "count": len(data[label]), "sha256": checksum(data[label])}
            )
        migrations = applied_migrations(using)
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "migrations": migrations,
        "manifest": manifest,
        "data": data,
    }


def write_backup(path, *, using="default"):
    """Write the backup to `path` atomically: a complete file appears, or none. Returns its manifest."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    backup = make_backup(using=using)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        partial.touch(mode=0o600)  # it holds password hashes and email addresses: owner only
        with gzip.open(partial, "wt", encoding="utf-8") as file:
            file.write(_json(backup))
        os.replace(partial, path)
    except OSError as error:
        raise BackupError(f"Could not write {path}: {error.strerror or error}.") from error
    finally:
        partial.unlink(missing_ok=True)
    return backup["manifest"]


def read_backup(path):
    """Read and check a backup file completely, touching no database. Returns the backup dict."""
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            backup = json.load(file)
    except FileNotFoundError as error:
        raise BackupError(f"There is no file at {path}.") from error
    except EOFError as error:
        raise BackupError(
            f"{path} is incomplete: it ends early (truncated, perhaps an unfinished copy)."
        ) from error
    except (gzip.BadGzipFile, zlib.error) as error:
        raise BackupError(f"{path} is damaged or is not a backup file ({error}).") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is damaged: its contents are not a readable backup.") from error
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror or error}.") from error
    _check_backup(path, backup)
    return backup


def _check_backup(path, backup):
    if not isinstance(backup, dict) or backup.get("format") != FORMAT:
        raise BackupError(f"{path} is not a seslip backup.")
    if backup.get("version") != VERSION:
        raise BackupError(
            f"{path} is a version {backup.get('version')} backup; this seslip reads version {VERSION}."
        )
    manifest, data = backup.get("manifest"), backup.get("data")
    if not isinstance(manifest, list) or not isinstance(data, dict):
        raise BackupError(f"{path} is damaged: its manifest or data is missing.")
    listed = [entry.get("model") for entry in manifest if isinstance(entry, dict)]
    if len(listed) != len(manifest) or set(listed) != set(data):
        raise BackupError(f"{path} is damaged: its manifest does not list the models it holds.")
    for entry in manifest:
        rows = data[entry["model"]]
        if not isinstance(rows, list) or not all(_is_row(row) for row in rows):
            raise BackupError(f"{path} is damaged: the {entry['model']} rows are malformed.")
        if not matches(entry, rows):
            raise BackupError(
                f"{path} is damaged: {entry['model']} has {len(rows)} rows that do not match "
                f"its manifest ({entry.get('count')} rows, checksum {entry.get('sha256')})."
            )


def _is_row(row):
    return (
        isinstance(row, dict) and set(row) == {"pk", "fields"} and isinstance(row["fields"], dict)
    )


def database_in_use(models, using="default"):
    """Labels of models holding rows that a fresh `migrate` would not have put there."""
    return [
        model._meta.label_lower
        for model in models
        if model._meta.label_lower not in SEEDED_BY_MIGRATIONS
        and model._base_manager.using(using).exists()
    ]


def restore_backup(path, *, replace=False, dry_run=False, using="default"):
    """Restore the backup at `path`, all or nothing. Returns its manifest."""
    backup = read_backup(path)
    models = _models_for(backup)
    missing = sorted(set(backup["migrations"]) - set(applied_migrations(using)))
    if missing:
        raise BackupError(
            f"{path} was made by a newer version of seslip: this database lacks the migrations "
            f"{', '.join(missing)}. Update the code and run `manage.py migrate` first."
        )
    connection = connections[using]
    with transaction.atomic(using=using):
        in_use = database_in_use(backed_up_models(), using)
        if in_use and not replace:
            raise BackupError(
                "The database already holds content (in "
                f"{', '.join(in_use)}). Restore into an empty database, or pass --replace to "
                "replace everything in it with the backup."
            )
        _delete_everything(backed_up_models(), using)
        for model in models:
            _load(model, backup["data"][model._meta.label_lower], using)
        _reset_sequences(connection, models)
        try:
            connection.check_constraints()
        except DatabaseError as error:
            raise BackupError(f"The backup's records do not fit together: {error}") from error
        _verify(backup, models, using)
        # Derived, so recomputed: a backup made before the field existed holds no value for it.
        refresh_published_from(using=using)
        refresh_resource_published_from(using=using)
        if dry_run:
            transaction.set_rollback(True, using=using)
        else:
            # Rows went in raw, past the models' save(): say so, or cached pages outlive them.
            content_changed(schedule=True)
    return backup["manifest"]


def _models_for(backup):
    by_label = {model._meta.label_lower: model for model in backed_up_models()}
    unknown = [entry["model"] for entry in backup["manifest"] if entry["model"] not in by_label]
    if unknown:
        raise BackupError(
            f"The backup holds {', '.join(unknown)}, which this version of seslip does not have."
        )
    order = list(by_label)
    return sorted(
        (by_label[e["model"]] for e in backup["manifest"]),
        key=lambda m: order.index(m._meta.label_lower),
    )


def _delete_everything(models, using):
    # Raw deletes: no cascades or signals. Foreign keys are checked when the transaction ends.
    for model in reversed(models):
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                through._base_manager.using(using).all()._raw_delete(using)
        model._base_manager.using(using).all()._raw_delete(using)


def _load(model, rows, using):
    label = model._meta.label_lower
    objects = serializers.deserialize(
        "python", ({"model": label, **row} for row in rows), using=using
    )
    try:
        if model._meta.parents:  # multi-table inheritance: one row at a time, as loaddata does
            for obj in objects:
                obj.save(using=using)
        else:
            _insert_in_batches(model, objects, using)
    except Exception as error:  # a row that will not load: say which, roll back everything
        raise BackupError(f"Could not restore {label}: {error}") from error


def _insert_in_batches(model, objects, using):
    """Insert the rows as they are (raw: no auto_now, no save()), and their many-to-many links.
    Generated columns (the search vectors) are the database's to fill."""
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    manager = model._base_manager.using(using)
    size = connections[using].ops.bulk_batch_size(fields, [None] * BATCH_SIZE)
    size = max(1, min(BATCH_SIZE, size))
    batch, links = [], {}
    for obj in objects:
        batch.append(obj.object)
        for name, related_pks in (obj.m2m_data or {}).items():
            links.setdefault(name, []).extend((obj.object.pk, pk) for pk in related_pks)
        if len(batch) >= size:
            manager._insert(batch, fields=fields, raw=True, using=using)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, raw=True, using=using)
    for name, pairs in links.items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        through._base_manager.using(using).bulk_create(
            [through(**{source: a, target: b}) for a, b in pairs], batch_size=BATCH_SIZE
        )


def _reset_sequences(connection, models):
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _verify(backup, models, using):
    for entry in backup["manifest"]:
        model = apps.get_model(entry["model"])
        rows = backup["data"][entry["model"]]
        loaded = model_rows(model, using)
        if rows:  # a newer schema may have added fields: compare the fields the backup has
            names = rows[0]["fields"].keys()
            loaded = [
                {"pk": r["pk"], "fields": {n: r["fields"].get(n) for n in names}} for r in loaded
            ]
        if not matches(entry, loaded):
            raise BackupError(
                f"After loading, {entry['model']} has {len(loaded)} rows whose checksum differs "
                f"from the backup's ({entry['count']} rows); nothing was restored."
            )
