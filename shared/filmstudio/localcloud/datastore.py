"""The local cloud's state on disk: one SQLite database (WAL) that moto writes through to.

moto keeps everything in memory. With a data directory, every DynamoDB item write, every
S3 object write or delete and every Secrets Manager change is copied into SQLite as it
happens (inside the same lock as the write, so the disk never holds an older item than
moto answered with), and a new local cloud restores it into moto before it serves.

WAL with synchronous=NORMAL makes each committed write survive the process being killed
at any moment (only a power cut can lose the last few); SQLite's own recovery replays or
discards a half-written transaction, so there is no file format of ours to repair.

What is kept: the latest version of each object (not its history), DynamoDB items with
their attributes as DynamoDB JSON, and each secret's current string. Step Functions
executions are not kept: a job that was running when the process stopped is failed and
refunded on the next start (`LocalCloud.recover_interrupted_jobs`).

`scope="cache"` (what `filmstudio render` uses) keeps only the content-addressed
artifacts under cache/, read back lazily on a miss, so a later render in another process
reuses them; `scope="all"` (what `filmstudio serve` uses) keeps everything.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterator

from filmstudio.errors import BadInputError

log = logging.getLogger(__name__)

DB_NAME = "filmstudio.sqlite3"
LOCK_NAME = "serve.lock"
SCHEMA_VERSION = 1
CACHE_PREFIX = "cache/"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (tbl TEXT NOT NULL, pk TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY (tbl, pk));
CREATE TABLE IF NOT EXISTS objects (bucket TEXT NOT NULL, key TEXT NOT NULL, body BLOB NOT NULL,
                                    metadata TEXT NOT NULL, PRIMARY KEY (bucket, key));
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def default_data_dir() -> Path:
    """$FILMSTUDIO_DATA, else $XDG_DATA_HOME/filmstudio, else ~/.local/share/filmstudio."""
    if os.environ.get("FILMSTUDIO_DATA"):
        return Path(os.environ["FILMSTUDIO_DATA"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "filmstudio"


class DataStore:
    """The SQLite database in a data directory; one connection shared by the process's threads."""

    def __init__(self, directory: Path, *, scope: str = "all"):
        if scope not in ("all", "cache"):
            raise ValueError(f"unknown scope {scope!r}")
        self.directory, self.scope = Path(directory), scope
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInputError(f"cannot use data directory {directory}: {exc.strerror}", code="BAD_DATA_DIR") from None
        if not self.directory.is_dir():
            raise BadInputError(f"data directory {directory} is not a folder", code="BAD_DATA_DIR")
        self.path = self.directory / DB_NAME
        self._closed = False
        self._lock = threading.RLock()
        self._lock_file = None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise BadInputError(f"{self.path} is not a Film Studio data file: {exc}", code="BAD_DATA_DIR") from None
        found = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if found is None:
            self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(found[0]) != SCHEMA_VERSION:
            raise BadInputError(f"{self.path} has schema {found[0]}; this filmstudio reads {SCHEMA_VERSION}",
                                code="BAD_DATA_DIR")

    @property
    def keeps_everything(self) -> bool:
        return self.scope == "all"

    def keeps_object(self, key: str) -> bool:
        return self.keeps_everything or key.startswith(CACHE_PREFIX)

    def claim(self) -> None:
        """Hold the directory for this process: two servers over one data directory would each
        restore it and then overwrite each other's writes."""
        handle = open(self.directory / LOCK_NAME, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise BadInputError(f"data directory {self.directory} is in use by another filmstudio serve",
                                code="DATA_DIR_IN_USE") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._lock_file = handle

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._db.close()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    # -- writes ---------------------------------------------------------------------------
    def _write(self, sql: str, params: tuple) -> None:
        with self._lock:
            if self._closed:
                # A render still winding down after the cloud closed: what it writes now is lost,
                # as it would be if the process had been killed; the next start recovers its job.
                log.warning("data store closed; a late write is not kept")
                return
            self._db.execute(sql, params)

    def put_item(self, table: str, pk: str, item: dict[str, Any]) -> None:
        self._write("INSERT OR REPLACE INTO items VALUES (?, ?, ?)", (table, pk, json.dumps(item)))

    def delete_item(self, table: str, pk: str) -> None:
        self._write("DELETE FROM items WHERE tbl = ? AND pk = ?", (table, pk))

    def put_object(self, bucket: str, key: str, body: bytes, metadata: dict[str, str]) -> None:
        self._write("INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?)",
                    (bucket, key, sqlite3.Binary(body), json.dumps(metadata)))

    def delete_object(self, bucket: str, key: str) -> None:
        self._write("DELETE FROM objects WHERE bucket = ? AND key = ?", (bucket, key))

    def put_secret(self, name: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO secrets VALUES (?, ?)", (name, value))

    # -- reads ------------------------------------------------------------------------------
    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        with self._lock:
            rows = self._db.execute("SELECT tbl, item FROM items ORDER BY tbl, pk").fetchall()
        for table, item in rows:
            yield table, json.loads(item)

    def object_keys(self, *, exclude_prefix: str | None = None) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._db.execute("SELECT bucket, key FROM objects ORDER BY bucket, key").fetchall()
        return [(b, k) for b, k in rows if not (exclude_prefix and k.startswith(exclude_prefix))]

    def get_object(self, bucket: str, key: str) -> tuple[bytes, dict[str, str]] | None:
        with self._lock:
            row = self._db.execute("SELECT body, metadata FROM objects WHERE bucket = ? AND key = ?",
                                   (bucket, key)).fetchone()
        return (bytes(row[0]), json.loads(row[1])) if row else None

    def secret(self, name: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {name: self._db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                    for name in ("items", "objects", "secrets")}


# -- moto, written through ---------------------------------------------------------------------

def _item_key(table, attrs: dict[str, Any]) -> str:
    key = [attrs[table.hash_key_attr]]
    if table.range_key_attr:
        key.append(attrs[table.range_key_attr])
    return json.dumps(key, sort_keys=True)


class WriteThrough:
    """Patches moto's backends so their writes reach a DataStore; `restore` fills moto from it."""

    def __init__(self, store: DataStore):
        self.store = store
        self._dynamo_lock = threading.RLock()
        self._pending = threading.local()  # S3 keys written by the request in progress
        # While provisioning and restoring, moto's writes are not ours to copy.
        self.paused = True

    # -- DynamoDB ---------------------------------------------------------------------------
    def _save_items(self, backend, touched: list[tuple[str, dict[str, Any]]]) -> None:
        for table_name, key_attrs in touched:
            table = backend.get_table(table_name)
            keys = {table.hash_key_attr: key_attrs[table.hash_key_attr]}
            if table.range_key_attr:
                keys[table.range_key_attr] = key_attrs[table.range_key_attr]
            pk = _item_key(table, keys)
            item = backend.get_item(table_name, keys)
            if item is None:
                self.store.delete_item(table_name, pk)
            else:
                self.store.put_item(table_name, pk, item.to_json()["Attributes"])

    def _dynamodb_fixes(self, stack: contextlib.ExitStack) -> None:
        from moto.dynamodb.models import DynamoDBBackend

        from filmstudio.localcloud.moto_fixes import replaced

        def through(name: str, touched_by):
            original = getattr(DynamoDBBackend, name)

            @functools.wraps(original)
            def wrapper(backend, *args, **kwargs):
                if self.paused:
                    return original(backend, *args, **kwargs)
                # The write and its copy to disk under one lock, so a later write of the same
                # item cannot reach the disk before this one.
                with self._dynamo_lock:
                    result = original(backend, *args, **kwargs)
                    self._save_items(backend, touched_by(*args, **kwargs))
                return result
            stack.enter_context(replaced(DynamoDBBackend, name, wrapper))

        through("put_item", lambda table_name, item_attrs, *a, **k: [(table_name, item_attrs)])
        through("update_item", lambda table_name, key, *a, **k: [(table_name, key)])
        through("delete_item", lambda table_name, key, *a, **k: [(table_name, key)])

        def transact(transact_items, *a, **k):
            touched = []
            for entry in transact_items:
                for kind, op in entry.items():
                    if kind in ("Put", "Update", "Delete"):
                        touched.append((op["TableName"], op.get("Item") or op["Key"]))
            return touched
        through("transact_write_items", transact)

    # -- S3 -----------------------------------------------------------------------------------
    def _save_pending(self) -> None:
        pending, self._pending.keys = getattr(self._pending, "keys", None) or [], []
        for key in pending:
            if self.store.keeps_object(key.name):
                self.store.put_object(key.bucket_name, key.name, key.value, dict(key.metadata))

    def _s3_fixes(self, stack: contextlib.ExitStack) -> None:
        import moto.s3.models as s3_models
        import moto.s3.notifications as s3_notifications
        import moto.s3.responses as s3_responses

        from filmstudio.localcloud.moto_fixes import replaced

        put_object = self._put_original = s3_models.S3Backend.put_object
        get_object = s3_models.S3Backend.get_object
        delete_object = s3_models.S3Backend.delete_object
        key_response = s3_responses.S3Response.key_response
        bucket_response = s3_responses.S3Response.bucket_response
        send_event = s3_notifications.send_event

        def put(backend, bucket_name, key_name, *args, **kwargs):
            key = put_object(backend, bucket_name, key_name, *args, **kwargs)
            if not self.paused and getattr(self._pending, "keys", None) is not None:
                self._pending.keys.append(key)
            return key

        def get(backend, bucket_name, key_name, *args, **kwargs):
            found = get_object(backend, bucket_name, key_name, *args, **kwargs)
            version_id = args[0] if args else kwargs.get("version_id")
            if found is None and version_id is None and key_name.startswith(CACHE_PREFIX):
                # Artifacts are read back on first use: a render touches few of a long-lived cache.
                stored = self.store.get_object(bucket_name, key_name)
                if stored is not None and get_object(backend, bucket_name, key_name, return_delete_marker=True) is None:
                    self._load(backend, bucket_name, key_name, *stored)
                    found = get_object(backend, bucket_name, key_name, *args, **kwargs)
            return found

        def delete(backend, bucket_name, key_name, *args, **kwargs):
            result = delete_object(backend, bucket_name, key_name, *args, **kwargs)
            if not self.paused and self.store.keeps_object(key_name) and \
                    get_object(backend, bucket_name, key_name) is None:
                self.store.delete_object(bucket_name, key_name)
            return result

        def saving(handler):
            # Metadata and Content-Type are set after the backend stores the bytes, so the copy
            # to disk waits for the end of the request (or for the ObjectCreated event, below).
            def request(response, *args, **kwargs):
                self._pending.keys = []
                try:
                    return handler(response, *args, **kwargs)
                finally:
                    self._save_pending()
                    self._pending.keys = None
            return request

        def event(*args, **kwargs):
            # The object is on disk before the trigger hears of it: a job the trigger starts
            # never refers to an upload a crash could lose.
            if getattr(self._pending, "keys", None):
                self._save_pending()
            return send_event(*args, **kwargs)

        stack.enter_context(replaced(s3_models.S3Backend, "put_object", put))
        stack.enter_context(replaced(s3_models.S3Backend, "get_object", get))
        stack.enter_context(replaced(s3_models.S3Backend, "delete_object", delete))
        stack.enter_context(replaced(s3_responses.S3Response, "key_response", saving(key_response)))
        stack.enter_context(replaced(s3_responses.S3Response, "bucket_response", saving(bucket_response)))
        stack.enter_context(replaced(s3_notifications, "send_event", event))

    def _load(self, backend, bucket: str, key: str, body: bytes, metadata: dict[str, str]) -> None:
        new_key = self._put_original(backend, bucket, key, body, disable_notification=True)
        new_key.set_metadata(dict(metadata))

    # -- Secrets Manager ------------------------------------------------------------------------
    def _secrets_fixes(self, stack: contextlib.ExitStack) -> None:
        from moto.secretsmanager.models import SecretsManagerBackend

        from filmstudio.localcloud.moto_fixes import replaced

        def through(name: str):
            original = getattr(SecretsManagerBackend, name)

            @functools.wraps(original)
            def wrapper(backend, *args, **kwargs):
                result = original(backend, *args, **kwargs)
                secret_id = args[0] if args else kwargs.get("secret_id") or kwargs.get("name")
                if not self.paused:
                    current = backend.get_secret_value(secret_id, None, None)
                    if current.get("SecretString") is not None:
                        self.store.put_secret(current["Name"], current["SecretString"])
                return result
            stack.enter_context(replaced(SecretsManagerBackend, name, wrapper))

        for name in ("create_secret", "put_secret_value", "update_secret"):
            through(name)

    # -- lifecycle --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def applied(self) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            self._s3_fixes(stack)
            if self.store.keeps_everything:
                self._dynamodb_fixes(stack)
                self._secrets_fixes(stack)
            yield

    def restore(self, account: str, region: str) -> dict[str, int]:
        """Fill moto (already provisioned: tables, bucket, secret) from the store, then copy
        every later write. A secret the store has not seen yet (a first start) is saved as provisioned."""
        from moto.dynamodb.models import dynamodb_backends
        from moto.s3.models import s3_backends
        from moto.secretsmanager.models import secretsmanager_backends

        restored = {"items": 0, "objects": 0, "secrets": 0}
        if not self.store.keeps_everything:
            self.paused = False
            return restored  # cache artifacts are read back when first asked for
        try:
            dynamodb = dynamodb_backends[account][region]
            for table, item in self.store.items():
                if table in dynamodb.tables:
                    dynamodb.put_item(table, item)
                    restored["items"] += 1
            s3 = s3_backends[account]["global"]
            for bucket, key in self.store.object_keys(exclude_prefix=CACHE_PREFIX):
                if bucket in s3.buckets:
                    self._load(s3, bucket, key, *self.store.get_object(bucket, key))
                    restored["objects"] += 1
            secrets = secretsmanager_backends[account][region]
            for name in list(secrets.secrets.keys()):
                value = self.store.secret(name)
                if value is not None:
                    secrets.put_secret_value(name, value, None, None, ["AWSCURRENT"])
                    restored["secrets"] += 1
                else:
                    current = secrets.get_secret_value(name, None, None).get("SecretString")
                    if current is not None:
                        self.store.put_secret(name, current)
        finally:
            self.paused = False
        return restored
