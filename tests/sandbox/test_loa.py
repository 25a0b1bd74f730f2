"""POST /phone-numbers/loa: multipart upload of a PDF, PNG or JPEG, at most 10 MB."""

from __future__ import annotations

import re

import pytest

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_upload_a_pdf(client, server):
    r = client.post("/phone-numbers/loa", files={"file": ("loa.pdf", PDF, "application/pdf")})
    assert r.status_code == 201
    body = r.json()
    assert re.fullmatch(r"https://sandbox\.actui\.invalid/loa/[0-9a-f-]{36}\.pdf", body["loaUrl"])
    assert body["fileName"] == "loa.pdf" and body["size"] == len(PDF)
    assert server.state.loa_count() == 1
    # the URL is accepted where the guide says it goes
    number = server.state.numbers()[0]
    r = client.put(f"/phone-numbers/{number}", json={"loaUrl": body["loaUrl"]})
    assert r.status_code == 200 and r.json()["loaUrl"] == body["loaUrl"]


def test_upload_a_png_whatever_its_declared_type(client):
    r = client.post("/phone-numbers/loa", files={"file": ("scan", PNG, "application/octet-stream")})
    assert r.status_code == 201 and r.json()["loaUrl"].endswith(".png")


@pytest.mark.parametrize("files, words", [
    ({"file": ("empty.pdf", b"", "application/pdf")}, "empty"),
    ({"file": ("notes.txt", b"hello there", "text/plain")}, "PDF, PNG or JPEG"),
    ({"document": ("loa.pdf", PDF, "application/pdf")}, "required"),
])
def test_refused_uploads(client, server, files, words):
    r = client.post("/phone-numbers/loa", files=files)
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "file" and words in r.json()["errors"][0]["message"]
    assert server.state.loa_count() == 0


def test_too_large_and_not_multipart(client, server):
    big = PDF + b"\x00" * (10 * 1024 * 1024)
    r = client.post("/phone-numbers/loa", files={"file": ("big.pdf", big, "application/pdf")})
    assert r.status_code == 400 and "10 MB" in r.json()["message"]
    r = client.post("/phone-numbers/loa", json={"file": "loa.pdf"})
    assert r.status_code == 400 and "multipart/form-data" in r.json()["message"]
    assert server.state.loa_count() == 0
