"""The catalogue of KMS actions: `X-Amz-Target: TrentService.<name>` -> handler, one line each.

`inline` actions are cheap and rarely write (the symmetric data plane, reads, lists); the app runs them on the
event loop. The rest (key generation, RSA, anything that writes) run on a thread so the loop stays free and
storage writes from concurrent requests commit together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.kms.actions import aliases, data, keys, policy, signing
from strongroom.kms.context import Context

Handler = Callable[[Context, Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Action:
    handler: Handler
    inline: bool = False


ACTIONS: Mapping[str, Action] = {
    # Data plane
    "Encrypt": Action(data.encrypt, inline=True),
    "Decrypt": Action(data.decrypt, inline=True),
    "ReEncrypt": Action(data.re_encrypt, inline=True),
    "GenerateDataKey": Action(data.generate_data_key, inline=True),
    "GenerateDataKeyWithoutPlaintext": Action(data.generate_data_key_without_plaintext, inline=True),
    "GenerateDataKeyPair": Action(data.generate_data_key_pair),
    "GenerateDataKeyPairWithoutPlaintext": Action(data.generate_data_key_pair_without_plaintext),
    "GenerateRandom": Action(data.generate_random, inline=True),
    "Sign": Action(signing.sign),
    "Verify": Action(signing.verify),
    "GetPublicKey": Action(signing.get_public_key, inline=True),
    "GenerateMac": Action(signing.generate_mac, inline=True),
    "VerifyMac": Action(signing.verify_mac, inline=True),
    # Keys
    "CreateKey": Action(keys.create_key),
    "DescribeKey": Action(keys.describe_key, inline=True),
    "ListKeys": Action(keys.list_keys, inline=True),
    "EnableKey": Action(keys.enable_key),
    "DisableKey": Action(keys.disable_key),
    "ScheduleKeyDeletion": Action(keys.schedule_key_deletion),
    "CancelKeyDeletion": Action(keys.cancel_key_deletion),
    "UpdateKeyDescription": Action(keys.update_key_description),
    "EnableKeyRotation": Action(keys.enable_key_rotation),
    "DisableKeyRotation": Action(keys.disable_key_rotation),
    "GetKeyRotationStatus": Action(keys.get_key_rotation_status, inline=True),
    "RotateKeyOnDemand": Action(keys.rotate_key_on_demand),
    "ListKeyRotations": Action(keys.list_key_rotations, inline=True),
    # Aliases, policies, tags
    "CreateAlias": Action(aliases.create_alias),
    "UpdateAlias": Action(aliases.update_alias),
    "DeleteAlias": Action(aliases.delete_alias),
    "ListAliases": Action(aliases.list_aliases, inline=True),
    "GetKeyPolicy": Action(policy.get_key_policy, inline=True),
    "PutKeyPolicy": Action(policy.put_key_policy),
    "ListKeyPolicies": Action(policy.list_key_policies, inline=True),
    "TagResource": Action(policy.tag_resource),
    "UntagResource": Action(policy.untag_resource),
    "ListResourceTags": Action(policy.list_resource_tags, inline=True),
}

__all__ = ["ACTIONS", "Action", "Handler"]
