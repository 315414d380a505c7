"""What every action gets: the gateway into the core, the ARNs of this request's region, and key look-ups."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.kms import identifiers
from strongroom.kms.errors import InvalidKeyUsageError, NotFoundError, from_strongroom
from strongroom.kms.gateway import Gateway
from strongroom.kms.identifiers import Arns
from strongroom.kms.keyview import KeyView
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import NotFound, StrongroomError
from strongroom.sdk.request import Operation


@dataclass(frozen=True, slots=True)
class Context:
    gateway: Gateway
    arns: Arns
    clock: Clock

    @property
    def account(self) -> str:
        return self.gateway.settings.account_id

    def key_arn(self, key_id: str) -> str:
        return self.arns.key(key_id)

    def resolve(self, text: str, *, aliases: bool = True) -> str:
        """The key id a KeyId input names (following an alias)."""
        ref = identifiers.parse(text, self.arns, aliases=aliases)
        if ref.key_id:
            return ref.key_id
        target = self.alias_target(ref.alias)
        if target is None:
            raise NotFoundError(f"Alias {self.arns.alias(ref.alias)} is not found.")
        return target

    def alias_target(self, alias: str) -> str | None:
        try:
            data = self.gateway.alias_store(Operation.READ, identifiers.alias_storage_name(alias))
        except NotFound:
            return None
        except StrongroomError as exc:
            raise from_strongroom(exc) from None
        target = data.get("target")
        return str(target) if target else None

    def find(self, key_id: str) -> KeyView | None:
        try:
            info = self.gateway.transit(Operation.READ, f"keys/{key_id}")
        except NotFound:
            return None
        except StrongroomError as exc:
            raise from_strongroom(exc) from None
        return KeyView.from_transit(key_id, info)

    def load(self, key_id: str) -> KeyView:
        view = self.find(key_id)
        if view is None:
            raise NotFoundError(f"Key '{self.key_arn(key_id)}' does not exist")
        return view

    def key(self, text: str, *, aliases: bool = True) -> KeyView:
        return self.load(self.resolve(text, aliases=aliases))

    def usable(self, text: str, usage: str, *, aliases: bool = True) -> KeyView:
        """The key, checked to be Enabled and of the given usage."""
        view = self.key(text, aliases=aliases)
        view.require_enabled(self.arns)
        require_usage(self, view, usage)
        return view


def require_usage(ctx: Context, view: KeyView, usage: str) -> None:
    if view.usage != usage or view.derived:
        raise InvalidKeyUsageError(f"{ctx.key_arn(view.key_id)} key usage is {view.usage} which is not valid "
                                   f"for this operation.")
