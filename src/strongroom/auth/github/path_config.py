"""config: the organisation members must belong to, the API base URL (GitHub Enterprise) and token settings."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.github.model import Config, GitHubStore
from strongroom.auth.jwt.outbound import Outbound, OutboundError
from strongroom.auth.tokenfields import TokenFieldArgs, TokenParams, apply_token_fields
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True, kw_only=True)
class ConfigArgs(TokenFieldArgs):
    organization: str | None = arg("The organisation users must be part of.", None)
    organization_id: int | None = arg("The organisation's numeric id; looked up at the first login when 0.", None)
    base_url: str | None = arg("API base URL for GitHub Enterprise, e.g. https://ghe.example.com/api/v3/.", None)
    ttl: Duration | None = arg('Deprecated: use "token_ttl".', None)
    max_ttl: Duration | None = arg('Deprecated: use "token_max_ttl".', None)


def path_config(store: GitHubStore, outbound: Outbound) -> Path[ConfigArgs]:
    def read(request: Request, args: ConfigArgs) -> Response:
        config = store.config()
        if config is None:
            raise NotFound()
        return Response(data=config.to_data())

    def write(request: Request, args: ConfigArgs) -> Response:
        warnings: list[str] = []

        def change(current: Config | None) -> Config:
            organization = (args.organization if args.organization is not None else
                            current.organization if current else "").strip()
            if not organization:
                raise InvalidRequest("organization is a required parameter")
            base_url = (args.base_url if args.base_url is not None else current.base_url if current else "").strip()
            if base_url:
                try:
                    outbound.check_url(base_url, resolve=False)
                except OutboundError as exc:
                    raise InvalidRequest(f"invalid base_url: {exc}") from None
            org_id = args.organization_id if args.organization_id is not None else (
                current.organization_id if current and current.organization == organization else 0)
            if org_id < 0:
                raise InvalidRequest("organization_id cannot be negative")
            token, warnings[:] = apply_token_fields(current.token if current else TokenParams(), args)
            return Config(organization=organization, organization_id=org_id, base_url=base_url, token=token)

        store.modify_config(change)
        return Response(warnings=warnings)

    return Path(r"config", ConfigArgs, operations={Operation.READ: read, Operation.UPDATE: write},
                synopsis="Configure the GitHub organisation and API.")
