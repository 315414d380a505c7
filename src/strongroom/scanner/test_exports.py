import strongroom.scanner
from strongroom.scanner import api


def test_package_exports() -> None:
    assert sorted(strongroom.scanner.__all__) == ["Detector", "Finding", "strongroom_token", "verify_strongroom_token"]
    for name in strongroom.scanner.__all__:
        assert hasattr(strongroom.scanner, name)


def test_api_exports_exist() -> None:
    for name in api.__all__:
        assert callable(getattr(api, name)) or isinstance(getattr(api, name), tuple)
