from tests.helpers import PASSPHRASE


def test_create_add_reopen(vault, tmp_path):
    from evidence_app.core.vault import Vault

    src = tmp_path / "a.txt"
    src.write_bytes(b"hello")
    item = vault.add_file(src)
    vault.lock()
    again = Vault.open(tmp_path / "vault", PASSPHRASE)
    assert again.item(item.id).sha256 == item.sha256
    again.lock()
