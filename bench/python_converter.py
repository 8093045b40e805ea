#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The comparison baseline: a deliberately small Python converter for the same job
(iosikEv2VpnConfiguration JSON → IKEv2 .mobileconfig with plistlib, optionally
PKCS#7-signed with the `cryptography` package). It maps the common keys without
mobileconfigc's checking, so it is, if anything, flattering to Python.

    python_converter.py OUT_DIR FILE_OR_DIR... [--sign CERT.pem KEY.pem]

A directory stands for its *.json files (sorted), as with mobileconfigc --out-dir.
"""
import json
import pathlib
import plistlib
import sys
import uuid

NS = uuid.UUID("5b0f3b4e-8d7c-5a51-9c6e-2f1d0a3b7c91")
ENC = {"aes256": "AES-256", "aes128": "AES-128", "aes256Gcm": "AES-256-GCM", "aes128Gcm": "AES-128-GCM",
       "chaCha20Poly1305": "ChaCha20Poly1305", "des": "DES", "tripleDes": "3DES"}
INTEG = {"sha2_256": "SHA2-256", "sha2_384": "SHA2-384", "sha2_512": "SHA2-512", "sha1_96": "SHA1-96", "sha1_160": "SHA1-160"}
AUTH = {"certificate": "Certificate", "sharedSecret": "SharedSecret", "usernameAndPassword": "None"}
ACTION = {"connect": "Connect", "disconnect": "Disconnect", "evaluateConnection": "EvaluateConnection", "ignore": "Ignore"}


def sa(p):
    return {"EncryptionAlgorithm": ENC[p["securityEncryptionAlgorithm"]], "IntegrityAlgorithm": INTEG[p["securityIntegrityAlgorithm"]],
            "DiffieHellmanGroup": p["securityDiffieHellmanGroup"], "LifeTimeInMinutes": p["lifetimeInMinutes"]}


def convert(o):
    ike = {"RemoteAddress": o["server"]["address"], "RemoteIdentifier": o["remoteIdentifier"], "LocalIdentifier": "",
           "AuthenticationMethod": AUTH[o["authenticationMethod"]], "EnablePFS": int(o["enablePerfectForwardSecrecy"]),
           "MTU": o["mtuSizeInBytes"], "DeadPeerDetectionRate": o["deadPeerDetectionRate"].capitalize()}
    if o.get("sharedSecret"):
        ike["SharedSecret"] = o["sharedSecret"]
    if not o["allowDefaultSecurityAssociationParameters"]:
        ike["IKESecurityAssociationParameters"] = sa(o["securityAssociationParameters"])
    if not o["allowDefaultChildSecurityAssociationParameters"]:
        ike["ChildSecurityAssociationParameters"] = sa(o["childSecurityAssociationParameters"])
    rules = []
    for r in o["onDemandRules"]:
        rule = {"Action": ACTION[r["action"]]}
        if r["ssids"]:
            rule["SSIDMatch"] = r["ssids"]
        if r["action"] == "evaluateConnection":
            rule["ActionParameters"] = [{"Domains": r["domains"], "DomainAction": "ConnectIfNeeded"}]
        rules.append(rule)
    if rules:
        ike["OnDemandRules"], ike["OnDemandEnabled"] = rules, 1
    payload = {"PayloadType": "com.apple.vpn.managed", "PayloadVersion": 1, "VPNType": "IKEv2",
               "UserDefinedName": o["connectionName"], "IKEv2": ike,
               "PayloadIdentifier": f"com.example.{o['id']}.vpn", "PayloadUUID": str(uuid.uuid5(NS, o["id"] + ":vpn")).upper()}
    return {"PayloadType": "Configuration", "PayloadVersion": 1, "PayloadDisplayName": o["displayName"],
            "PayloadIdentifier": f"com.example.{o['id']}", "PayloadUUID": str(uuid.uuid5(NS, o["id"])).upper(),
            "PayloadContent": [payload]}


def main():
    args = sys.argv[1:]
    signer = None
    if "--sign" in args:
        i = args.index("--sign")
        cert_path, key_path = args[i + 1], args[i + 2]
        del args[i:i + 3]
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.serialization import pkcs7
        cert = x509.load_pem_x509_certificate(pathlib.Path(cert_path).read_bytes())
        key = serialization.load_pem_private_key(pathlib.Path(key_path).read_bytes(), None)

        def signer(data):
            return (pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(cert, key, hashes.SHA256())
                    .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    out = pathlib.Path(args[0])
    paths = []
    for arg in args[1:]:
        p = pathlib.Path(arg)
        paths.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    for path in paths:
        o = json.loads(pathlib.Path(path).read_text())
        data = plistlib.dumps(convert(o), sort_keys=True)
        if signer:
            data = signer(data)
        (out / (pathlib.Path(path).stem + ".mobileconfig")).write_bytes(data)


if __name__ == "__main__":
    main()
