"""The AWS KMS face: the KMS JSON 1.1 API over the same core, where each action becomes ordinary requests on a
transit mount (so tokens, policies and audit behave as on the Vault API) and callers sign with SigV4 access keys
issued by the sigv4 auth method."""

from strongroom.kms.app import KmsApp, create_app
from strongroom.kms.provision import ensure_mounts
from strongroom.kms.settings import KmsSettings

__all__ = ["KmsApp", "KmsSettings", "create_app", "ensure_mounts"]
