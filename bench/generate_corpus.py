#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a synthetic Intune export for benchmarks: N iosikEv2VpnConfiguration objects,
each varied (ids, names, rules, SA parameters), as one Graph list response or as one
file per object (the shape IntuneManagement and IntuneBackupAndRestore write).

    generate_corpus.py COUNT OUT_DIR [--list]
"""
import json
import pathlib
import random
import sys
import uuid

NAMESPACE = uuid.UUID("0f3c6a2e-5b1d-4e7a-9c8b-1d2e3f4a5b6c")
ENCRYPTION = ["aes256", "aes128", "aes256Gcm", "aes128Gcm", "chaCha20Poly1305"]
INTEGRITY = ["sha2_256", "sha2_384", "sha2_512"]
GROUPS = [14, 19, 20, 21]


def vpn(i, rng):
    rules = []
    for r in range(rng.randint(0, 4)):
        action = rng.choice(["connect", "disconnect", "evaluateConnection", "ignore"])
        rules.append({
            "ssids": [f"Site-{i}-{r}"] if action == "disconnect" else [],
            "dnsSearchDomains": [], "dnsServerAddressMatch": [],
            "probeUrl": None, "action": action, "domainAction": "connectIfNeeded",
            "domains": [f"intranet{r}.example.com"] if action == "evaluateConnection" else [],
            "probeRequiredUrl": None, "interfaceTypeMatch": rng.choice(["notConfigured", "wiFi", "cellular"]),
        })
    sa = lambda: {"securityEncryptionAlgorithm": rng.choice(ENCRYPTION), "securityIntegrityAlgorithm": rng.choice(INTEGRITY),
                  "securityDiffieHellmanGroup": rng.choice(GROUPS), "lifetimeInMinutes": rng.randint(10, 1440)}
    auth = rng.choice(["certificate", "sharedSecret", "usernameAndPassword"])
    return {
        "@odata.type": "#microsoft.graph.iosikEv2VpnConfiguration",
        "id": str(uuid.uuid5(NAMESPACE, str(i))),
        "displayName": f"Branch {i} IKEv2 VPN",
        "description": f"Synthetic benchmark profile {i}",
        "version": 1, "roleScopeTagIds": ["0"], "supportsScopeTags": True,
        "connectionName": f"Branch {i}", "connectionType": "ikEv2",
        "server": {"description": None, "address": f"vpn{i}.example.com", "isDefaultServer": True},
        "authenticationMethod": auth,
        "sharedSecret": f"psk-{i}" if auth == "sharedSecret" else None,
        "enableEAP": auth == "usernameAndPassword",
        "enableSplitTunneling": rng.random() < 0.5,
        "onDemandRules": rules, "disableOnDemandUserOverride": rng.random() < 0.5,
        "proxyServer": {"automaticConfigurationScriptUrl": f"https://proxy{i}.example.com/p.pac", "address": None, "port": None},
        "clientAuthenticationType": "userAuthentication", "deadPeerDetectionRate": rng.choice(["low", "medium", "high"]),
        "disableMobilityAndMultihoming": False, "disableRedirect": False, "enableCertificateRevocationCheck": True,
        "enablePerfectForwardSecrecy": True, "enableUseInternalSubnetAttributes": False,
        "localIdentifier": "empty", "remoteIdentifier": f"vpn{i}.example.com",
        "serverCertificateCommonName": f"vpn{i}.example.com", "serverCertificateIssuerCommonName": "Example Issuing CA",
        "serverCertificateType": "rsa", "tlsMinimumVersion": "1.2", "tlsMaximumVersion": "1.2",
        "allowDefaultSecurityAssociationParameters": False, "securityAssociationParameters": sa(),
        "allowDefaultChildSecurityAssociationParameters": False, "childSecurityAssociationParameters": sa(),
        "mtuSizeInBytes": rng.randint(1280, 1400), "enableAlwaysOnConfiguration": False, "alwaysOnConfiguration": None,
    }


def main():
    count, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1234)
    objects = [vpn(i, rng) for i in range(count)]
    if "--list" in sys.argv:
        (out / "export.json").write_text(json.dumps({"@odata.context": "bench", "value": objects}))
    else:
        for o in objects:
            (out / f"{o['id']}.json").write_text(json.dumps(o, indent=2))


if __name__ == "__main__":
    main()
