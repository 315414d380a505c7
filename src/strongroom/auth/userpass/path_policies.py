"""users/<username>/policies: replace the policies of a user's tokens."""

from __future__ import annotations

from dataclasses import dataclass, replace

from strongroom.auth.tokenfields import TokenFieldArgs, apply_token_fields
from strongroom.auth.userpass.model import NAME_PATTERN, User, UserStore
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class PoliciesArgs:
    username: str = arg("Username; case-insensitive.")
    token_policies: list[str] | None = arg("Policies attached to the user's tokens.", None)
    policies: list[str] | None = arg('Deprecated: use "token_policies".', None)


def path_policies(store: UserStore) -> Path[PoliciesArgs]:
    def update(request: Request, args: PoliciesArgs) -> Response:
        if args.token_policies is None and args.policies is None:
            raise InvalidRequest("must provide token_policies")
        fields = TokenFieldArgs(token_policies=args.token_policies, policies=args.policies)

        def with_policies(user: User | None) -> User:
            if user is None:
                raise InvalidRequest("username does not exist")
            token, _ = apply_token_fields(user.token, fields)
            return replace(user, token=token)

        store.modify(args.username, with_policies)
        return Response()

    return Path(
        rf"users/(?P<username>{NAME_PATTERN})/policies",
        PoliciesArgs,
        operations={Operation.UPDATE: update},
        synopsis="Update the policies associated with a user.",
    )
