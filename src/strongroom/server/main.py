"""Build a server from its configuration and run it: storage -> Core(catalogues) -> VaultApp -> uvicorn."""

from __future__ import annotations

import asyncio
import logging
import ssl
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, TextIO

import uvicorn

from strongroom.auth import CATALOG as AUTH_CATALOG
from strongroom.core.config import CoreConfig
from strongroom.core.core import Core
from strongroom.engines import CATALOG as ENGINE_CATALOG
from strongroom.http.app import VaultApp
from strongroom.kms import KmsApp, ensure_mounts
from strongroom.server.config import ListenerConfig, ServerConfig
from strongroom.server.listener import VaultHttpProtocol
from strongroom.server.workers import run_workers
from strongroom.storage.base import PhysicalBackend
from strongroom.storage.memory import InMemoryBackend
from strongroom.storage.sqlite import SQLiteBackend

log = logging.getLogger("strongroom.server")


@dataclass(frozen=True)
class DevOptions:
    listen_address: str = "127.0.0.1:8200"
    root_token_id: str = ""
    storage: str = "inmem"
    storage_path: str = ""


def open_storage(config: ServerConfig) -> PhysicalBackend:
    if config.storage_type == "sqlite":
        return SQLiteBackend(config.storage_path)
    return InMemoryBackend()


def build_core(config: ServerConfig, *, dev: bool = False) -> Core:
    core_config = CoreConfig(
        default_lease_ttl=config.default_lease_ttl,
        max_lease_ttl=config.max_lease_ttl,
        audit_devices=config.audit_devices,
        unsafe_allow_api_audit_creation=config.unsafe_allow_api_audit_creation,
        allowed_audit_directories=config.allowed_audit_directories,
        dev_mode=dev,
        storage_type=config.storage_type,
        user_lockout=config.user_lockout,
        quota_state_path=quota_state_path(config),
    )
    return Core(open_storage(config), ENGINE_CATALOG, AUTH_CATALOG, config=core_config)


def quota_state_path(config: ServerConfig) -> str:
    """Rate-limit windows live beside a SQLite store, shared by every worker process (see core/quotas)."""
    return f"{config.storage_path}-ratelimit" if config.storage_type == "sqlite" else ""


def dev_config(base: ServerConfig | None, options: DevOptions) -> ServerConfig:
    config = base or ServerConfig()
    path = options.storage_path
    if options.storage == "sqlite" and not path:
        path = str(Path(tempfile.mkdtemp(prefix="strongroom-dev-")) / "data.db")
    return replace(config, storage_type=options.storage, storage_path=path,
                   listener=ListenerConfig(address=options.listen_address, tls_disable=True))


def start_dev(core: Core, options: DevOptions, storage_path: str = "") -> tuple[bytes, str]:
    """Initialise with one key share and unseal. Returns the unseal key and the banner to print."""
    keys, root_token = core.initialize(1, 1, options.root_token_id or None)
    core.submit_unseal_key(keys[0])
    address = f"http://{options.listen_address}"
    storage = f"sqlite ({storage_path})" if options.storage == "sqlite" else "inmem (lost when the server stops)"
    banner = (
        "WARNING! dev mode is enabled! In this mode, Strongroom runs entirely in-memory (unless "
        "--dev-storage=sqlite)\nand starts unsealed with a single unseal key. The root token is already "
        "authenticated to the CLI,\nso you can immediately begin using Strongroom.\n\n"
        "You may need to set the following environment variables:\n\n"
        f"    $ export STRONGROOM_ADDR='{address}'\n    $ export VAULT_ADDR='{address}'\n\n"
        "The unseal key and root token are displayed below in case you want to seal/unseal the server or "
        "re-authenticate.\n\n"
        f"Unseal Key: {keys[0].hex()}\nRoot Token: {root_token}\n\n"
        "Development mode should NOT be used in production installations!\n\n"
        f"==> Strongroom server started! Listening on {address}\n"
        f"    Storage: {storage}\n"
    )
    return keys[0], banner


def build_app(core: Core, config: ServerConfig) -> VaultApp:
    """The Vault API, with the AWS KMS API answering POST / on the same listener."""
    return VaultApp(core, max_request_size=config.max_request_size, kms=KmsApp(core, config.kms))


def serve(app: VaultApp, config: ServerConfig) -> None:
    """Run the listener, and the separate KMS listener when one is configured."""
    main = uvicorn.Server(uvicorn_config(app, config.listener))
    if config.kms_listener is None or app.kms is None:
        main.run()
        return
    kms = uvicorn.Server(uvicorn_config(app.kms, config.kms_listener, lifespan="off"))  # type: ignore[arg-type]

    async def both() -> None:
        tasks = [asyncio.create_task(main.serve()), asyncio.create_task(kms.serve())]
        _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        main.should_exit = kms.should_exit = True  # a signal reaches only one of them
        await asyncio.gather(*pending)

    asyncio.run(both())


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(levelname)s] %(name)s: %(message)s")


def uvicorn_config(app: VaultApp, listener: ListenerConfig, lifespan: Literal["on", "off"] = "on") -> uvicorn.Config:
    host, port = listener.host_port
    config = uvicorn.Config(
        app, host=host, port=port, lifespan=lifespan, access_log=False, log_level="warning",
        ssl_certfile=listener.tls_cert_file if listener.tls else None,
        ssl_keyfile=listener.tls_key_file if listener.tls else None,
        server_header=False, date_header=False, http=VaultHttpProtocol,
    )
    config.load()
    if listener.tls and config.ssl is not None:
        minimum = ssl.TLSVersion.TLSv1_3 if listener.tls_min_version == "tls13" else ssl.TLSVersion.TLSv1_2
        config.ssl.minimum_version = minimum
    return config


def run(config: ServerConfig, *, dev: DevOptions | None = None, out: TextIO = sys.stdout) -> None:
    configure_logging()
    if dev is not None:
        config = dev_config(config, dev)
    core = build_core(config, dev=dev is not None)
    workers = config.worker_count
    if dev is not None:
        key, banner = start_dev(core, dev, config.storage_path)
        ensure_mounts(core, config.kms)
        if workers > 1:
            # The first unseal wrote the default mounts; the workers only need the key.
            core.seal_now(announce=False)
            core.physical.close()
            run_workers(config, workers, dev_key=key, banner=banner, out=out)
            return
        out.write(banner)
        out.flush()
    elif workers > 1:
        core.physical.close()
        banner = f"==> Strongroom server started with {workers} workers on {config.listener.address}\n"
        run_workers(config, workers, banner=banner, out=out)
        return
    else:
        scheme = "https" if config.listener.tls else "http"
        out.write(f"==> Strongroom server started! Listening on {scheme}://{config.listener.address}\n"
                  f"    Storage: {config.storage_type}; "
                  f"{'initialise with `strongroom operator init`' if core.seal.config() is None else 'sealed'}\n")
        out.flush()
    serve(build_app(core, config), config)
    core.physical.close()
