"""sys/policy (legacy) and sys/policies/acl: ACL policy CRUD."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.core.policy.errors import PolicyError
from strongroom.core.system.common import NoArgs, legacy
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class PolicyArgs:
    name: str = arg("Policy name (stored lower-case).")
    policy: str = arg("Policy text, HCL or JSON.", "")
    rules: str = arg("Legacy name of `policy`.", "")


def paths(core: Core) -> list[Path[Any]]:
    def names() -> list[str]:
        return core.policies.list()

    def legacy_list(request: Request, args: NoArgs) -> Response:
        return legacy({"keys": names(), "policies": names()})

    def acl_list(request: Request, args: NoArgs) -> Response:
        return Response(data={"keys": names()})

    def text_of(name: str) -> str:
        policy = core.policies.get(name.lower())
        if policy is None:
            raise NotFound()
        return policy.text

    def legacy_read(request: Request, args: PolicyArgs) -> Response:
        return legacy({"name": args.name.lower(), "rules": text_of(args.name)})

    def acl_read(request: Request, args: PolicyArgs) -> Response:
        return Response(data={"name": args.name.lower(), "policy": text_of(args.name)})

    def write(request: Request, args: PolicyArgs) -> Response:
        text = args.policy or args.rules
        if not text.strip():
            raise InvalidRequest("'policy' parameter not supplied or empty")
        try:
            core.policies.put(args.name.lower(), text)
        except PolicyError as exc:
            raise InvalidRequest(str(exc)) from None
        return Response()

    def delete(request: Request, args: PolicyArgs) -> Response:
        try:
            core.policies.delete(args.name.lower())
        except PolicyError as exc:
            raise InvalidRequest(str(exc)) from None
        return Response()

    crud = {Operation.UPDATE: write, Operation.DELETE: delete}
    return [
        Path("policy/?", NoArgs, {Operation.READ: legacy_list, Operation.LIST: legacy_list},
             synopsis="List policies (legacy)."),
        Path("policy/(?P<name>[^/]+)", PolicyArgs, {Operation.READ: legacy_read, **crud},
             synopsis="Read, write or delete a policy (legacy)."),
        Path("policies/acl/?", NoArgs, {Operation.LIST: acl_list, Operation.READ: acl_list},
             synopsis="List ACL policies."),
        Path("policies/acl/(?P<name>[^/]+)", PolicyArgs, {Operation.READ: acl_read, **crud},
             synopsis="Read, write or delete an ACL policy."),
    ]
