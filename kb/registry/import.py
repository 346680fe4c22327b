#!/usr/bin/env python3
"""Imports the registry of AWS error codes from the SDK models, as facts.

usage: kb/registry/import.py BOTOCORE      (a botocore wheel, or an unpacked botocore package)

Reads every service's newest `botocore/data/<service>/<version>/service-2.json[.gz]` (the
version botocore's own loader picks) and botocore's retry lists, and rewrites, beside this file:

  services.tsv    id, serviceId, full name, abbreviation, endpoint prefix, signing name,
                  protocol, uid, XML namespace, JSON target prefix
  errors.tsv      service, wire code, shape (when it differs from the code), HTTP status,
                  fault (client | server), SDK retry verdict (throttling | transient | none),
                  kind (model | eventstream)
  operations.tsv  service, then every operation name of its model

Only names, numbers and flags are kept; the models' documentation strings never are. The codes
the models lack (the AWS common errors, S3's documented codes, query-compatible legacy codes,
botocore's status stand-ins) are kept by hand in extra.tsv, each row with its source; this
script never touches that file. Refresh after a botocore release:

  pip download --no-deps botocore==X.Y.Z -d /tmp/bc && kb/registry/import.py /tmp/bc/botocore-X.Y.Z-*.whl
  cargo test   # the registry tests check the result
"""
import ast, gzip, io, json, os, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


class Package:
    """Reads files of a botocore package, from a wheel or a directory."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path) if zipfile.is_zipfile(path) else None
        self.root = path if self.zip is None else ""
        if self.zip is None and os.path.isdir(os.path.join(path, "botocore")):
            self.root = os.path.join(path, "botocore")
        names = self.zip.namelist() if self.zip else [
            os.path.relpath(os.path.join(d, f), self.root).replace(os.sep, "/")
            for d, _, fs in os.walk(self.root) for f in fs]
        self.names = [n[len("botocore/"):] if n.startswith("botocore/") else n for n in names]

    def read(self, name):
        if self.zip:
            return self.zip.read("botocore/" + name)
        with open(os.path.join(self.root, name), "rb") as f:
            return f.read()

    def version(self):
        src = self.read("__init__.py").decode()
        for line in src.splitlines():
            if line.startswith("__version__"):
                return ast.literal_eval(line.split("=", 1)[1].strip())
        raise SystemExit("no __version__ in botocore/__init__.py")


def class_list(source, cls, name):
    """The literal value of `name` in class `cls` of a Python source file."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and any(getattr(t, "id", None) == name for t in stmt.targets):
                    return ast.literal_eval(stmt.value)
    raise SystemExit(f"{cls}.{name} not found: botocore's retry code has changed; update import.py")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    if sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    if not os.path.exists(sys.argv[1]):
        raise SystemExit(f"{sys.argv[1]}: no such file or directory\n{__doc__}")
    pkg = Package(sys.argv[1])
    version = pkg.version()
    standard = pkg.read("retries/standard.py").decode()
    throttling = set(class_list(standard, "ThrottledRetryableChecker", "_THROTTLED_ERROR_CODES"))
    transient = set(class_list(standard, "TransientRetryableChecker", "_TRANSIENT_ERROR_CODES"))
    transient_status = set(class_list(standard, "TransientRetryableChecker", "_TRANSIENT_STATUS_CODES"))
    special = pkg.read("retries/special.py").decode()
    special_sts = class_list(special, "RetryIDPCommunicationError", "_SERVICE_NAME")

    models = {}
    for name in pkg.names:
        parts = name.split("/")
        if len(parts) == 4 and parts[0] == "data" and parts[3] in ("service-2.json", "service-2.json.gz"):
            models.setdefault(parts[1], []).append((parts[2], name))

    services, errors, operations = [], [], []
    for sid in sorted(models):
        _, path = max(models[sid])  # the newest API version, as botocore's loader picks
        raw = pkg.read(path)
        model = json.loads(gzip.decompress(raw) if path.endswith(".gz") else raw)
        meta = model["metadata"]
        services.append([sid, meta.get("serviceId", ""), meta.get("serviceFullName", ""),
                         meta.get("serviceAbbreviation", ""), meta.get("endpointPrefix", ""),
                         meta.get("signingName", meta.get("endpointPrefix", "")),
                         meta.get("protocol", ""), meta.get("uid", ""),
                         meta.get("xmlNamespace", ""), meta.get("targetPrefix", "")])
        operations.append([sid] + sorted(model.get("operations", {})))
        shapes = model.get("shapes", {})

        def verdict(code, shape, status):
            if code in throttling:
                return "throttling"
            if "retryable" in shape:
                return "throttling" if shape["retryable"].get("throttling") else "transient"
            if code in transient or status in transient_status:
                return "transient"
            if sid == special_sts and code == "IDPCommunicationError":
                return "transient"
            return "none"

        def fault(shape, status):
            err = shape.get("error", {})
            if shape.get("fault"):
                return "server"
            if err.get("senderFault"):
                return "client"
            return "server" if status and status >= 500 else "client"

        seen = {}
        for name, shape in sorted(shapes.items()):
            if not shape.get("exception"):
                continue
            err = shape.get("error", {})
            code = err.get("code", name)
            status = err.get("httpStatusCode")
            if code in seen:
                # Two shapes with one wire code (CloudWatch's ResourceNotFound): one row, both
                # shape names as aliases.
                row = seen[code]
                row[2] = ",".join(s for s in (row[2] or code, name) if s != code) if row[2] or name != code else ""
                continue
            row = [sid, code, name if name != code else "", str(status or ""),
                   fault(shape, status), verdict(code, shape, status), "model"]
            errors.append(row)
            seen[code] = row
        # botocore reports an event-stream error by its union member name, which may differ
        # from the shape's code (`throttlingException` for ThrottlingException).
        for name, shape in sorted(shapes.items()):
            if not shape.get("eventstream"):
                continue
            for member, ref in sorted(shape.get("members", {}).items()):
                target = shapes.get(ref.get("shape"), {})
                if not target.get("exception") or member in seen:
                    continue
                status = target.get("error", {}).get("httpStatusCode")
                errors.append([sid, member, ref["shape"], str(status or ""), fault(target, status),
                               "none", "eventstream"])
                seen[member] = errors[-1]

    def write(name, header, rows):
        with open(os.path.join(HERE, name), "w", newline="\n") as f:
            f.write(f"# botocore {version}: generated by kb/registry/import.py; do not edit\n")
            f.write("\t".join(header) + "\n")
            for r in rows:
                assert not any("\t" in c or "\n" in c for c in r), r
                f.write("\t".join(r) + "\n")

    write("services.tsv", ["id", "service_id", "full_name", "abbreviation", "endpoint_prefix",
                           "signing_name", "protocol", "uid", "xml_namespace", "target_prefix"], services)
    write("errors.tsv", ["service", "code", "shape", "http_status", "fault", "sdk_retry", "kind"], errors)
    write("operations.tsv", ["service", "operations"],
          [[r[0], " ".join(r[1:])] for r in operations])
    print(f"botocore {version}: {len(services)} services, {len(errors)} error codes, "
          f"{sum(len(r) - 1 for r in operations)} operations")


if __name__ == "__main__":
    main()
