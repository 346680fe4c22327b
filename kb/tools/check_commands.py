#!/usr/bin/env python3
"""Checks every `aws ...` command written in knowledge-base files against the SDK models.

usage: kb/tools/check_commands.py BOTOCORE_DIR AWS_CLI_V2_CHECKOUT FILE_OR_DIR...

BOTOCORE_DIR is an unpacked botocore wheel (the directory holding `botocore/`); the AWS CLI
checkout (branch v2) gives the CLI's own commands and argument renames. For each command in
backticks in `cause`, `remedy` and `notes`, it checks the service name, the operation (or a
waiter under `wait`), every `--flag` (model members, the CLI's renames and global options), and
the first field of `--query` against the operation's output. Commands the CLI adds itself
(`aws s3 cp`, `aws eks update-kubeconfig`, `aws logs tail` ...) are listed as "customization"
for a reader to check against the CLI source by hand. Prints one line per problem; exit 1 if
any. A development aid for writers and second readers; it is not run by CI (the models are not
in the repository).
"""
import glob, json, gzip, os, re, subprocess, sys, tomllib

GLOBAL = {"region", "profile", "output", "query", "endpoint-url", "no-paginate", "debug",
          "cli-input-json", "cli-input-yaml", "generate-cli-skeleton", "no-verify-ssl",
          "page-size", "max-items", "starting-token", "no-cli-pager", "cli-binary-format",
          "color", "ca-bundle", "cli-read-timeout", "cli-connect-timeout", "no-sign-request",
          "cli-auto-prompt", "no-cli-auto-prompt", "version"}
# Arguments the CLI adds to operations (awscli/customizations on branch v2).
CUSTOM_FLAGS = {
    **{f"ec2.{op}": ("protocol", "port", "cidr", "source-group", "group-owner")
       for op in ("authorize-security-group-ingress", "authorize-security-group-egress",
                  "revoke-security-group-ingress", "revoke-security-group-egress")},
    "ec2.run-instances": ("count", "secondary-private-ip-addresses",
                          "secondary-private-ip-address-count", "associate-public-ip-address",
                          "no-associate-public-ip-address"),
    "ec2.get-password-data": ("priv-launch-key",),
    "ec2.bundle-instance": ("bucket", "prefix", "owner-akid", "owner-sak", "policy",
                            "policy-signature"),
}
RENAMED_SERVICES = {"s3api": "s3", "configservice": "config", "deploy": "codedeploy"}


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    boto, cli = sys.argv[1], sys.argv[2]
    sys.path.insert(0, boto)
    from botocore import xform_name  # the CLI's own name transform
    data = os.path.join(boto, "botocore", "data")

    def git(*args):
        return subprocess.run(["git", "-C", cli, *args], capture_output=True, text=True).stdout

    src = git("show", "v2:awscli/customizations/argrename.py")
    body = src[src.index("ARGUMENT_RENAMES = {"):src.index("}", src.index("ARGUMENT_RENAMES = {"))]
    body = "\n".join(l for l in body.splitlines() if not l.strip().startswith("#"))
    renames = dict(re.findall(r"'([\w*.-]+)': '([\w-]+)'", body))
    examples = {}
    for path in git("ls-tree", "-r", "--name-only", "v2", "awscli/examples").split():
        parts = path.split("/")
        if len(parts) == 4 and parts[3].endswith(".rst"):
            examples.setdefault(parts[2], set()).add(parts[3][:-4])
        elif len(parts) == 5:  # examples/<svc>/<group>/<cmd>.rst, e.g. s3/...
            examples.setdefault(parts[2], set()).add(parts[3])

    custom_names = set(re.findall(r"NAME = ['\"]([\w-]+)['\"]", git("grep", "-h", "NAME = ", "v2", "--", "awscli/customizations")))
    models, waiters = {}, {}

    def model(svc):
        if svc not in models:
            d = os.path.join(data, svc)
            if not os.path.isdir(d):
                models[svc] = None
                return None
            ver = sorted(os.listdir(d))[-1]
            base = os.path.join(d, ver)
            f = [x for x in os.listdir(base) if x.startswith("service-2.json")][0]
            raw = open(os.path.join(base, f), "rb").read()
            models[svc] = json.loads(gzip.decompress(raw) if f.endswith(".gz") else raw)
            w = os.path.join(base, "waiters-2.json")
            waiters[svc] = set(xform_name(n, "-") for n in json.load(open(w))["waiters"]) if os.path.exists(w) else set()
        return models[svc]

    problems = 0

    def report(where, msg):
        nonlocal problems
        problems += 1
        print(f"{where}: {msg}")

    def check(cmd, where):
        words = cmd.replace("\\\n", " ").split()
        i = 1
        while i < len(words) and words[i].startswith("--"):
            i += 2 if words[i][2:] in GLOBAL and words[i][2:] not in ("debug", "no-paginate", "no-verify-ssl", "no-sign-request", "no-cli-pager") else 1
        if i + 1 >= len(words):
            return
        cli_svc, op = words[i], words[i + 1]
        svc = RENAMED_SERVICES.get(cli_svc, cli_svc)
        m = model(svc)
        if m is None:
            if (cli_svc in examples and op in examples[cli_svc]) or cli_svc in custom_names:
                report(where, f"customization `aws {cli_svc} {op}`: check its flags in the CLI source")
            else:
                report(where, f"unknown service `{cli_svc}` in `{cmd}`")
            return
        ops = {xform_name(name, "-"): name for name in m["operations"]}
        if op == "wait":
            if i + 2 >= len(words) or words[i + 2] not in waiters.get(svc, set()):
                report(where, f"unknown waiter in `{cmd}` (waiters: {sorted(waiters.get(svc, set()))[:12]}...)")
            return
        if op not in ops:
            if op in examples.get(cli_svc, set()) or op in custom_names:
                report(where, f"customization `aws {cli_svc} {op}`: check its flags in the CLI source")
            else:
                report(where, f"`aws {cli_svc} {op}` is not an operation of {svc}")
            return
        opm = m["operations"][ops[op]]
        shapes = m["shapes"]
        members = {}
        if "input" in opm:
            for name, ref in shapes[opm["input"]["shape"]].get("members", {}).items():
                flag = xform_name(name, "-")
                members[flag] = shapes[ref["shape"]]
        for flag in list(members):
            for key in (f"{cli_svc}.{op}.{flag}", f"{cli_svc}.*.{flag}"):
                if key in renames:
                    members[renames[key]] = members.pop(flag)
                    break
            for key in (f"{cli_svc}.{op}.no-{flag}", f"{cli_svc}.*.no-{flag}"):
                if key in renames:
                    members[renames[key]] = {"type": "boolean"}
        for flag in CUSTOM_FLAGS.get(f"{cli_svc}.{op}", ()):
            members[flag] = {"type": "custom"}
        for name, shape in list(members.items()):
            # The CLI turns `{Value: boolean}` structures into plain boolean flags.
            inner = shape.get("members", {})
            if set(inner) == {"Value"} and shapes[inner["Value"]["shape"]].get("type") == "boolean":
                members[name] = {"type": "boolean"}
        for w in words[i + 2:]:
            if not w.startswith("--"):
                continue
            flag = w[2:].split("=", 1)[0]
            base = flag[3:] if flag.startswith("no-") else flag
            if flag in GLOBAL or flag in members or (base in members and members[base].get("type") == "boolean"):
                continue
            report(where, f"`--{flag}` is not an option of `aws {cli_svc} {op}`")
        if "--query" in words:
            q = words[words.index("--query") + 1].strip("'\"")
            first = re.match(r"[A-Za-z_][A-Za-z0-9_]*(?!\w*\()", q)
            out = shapes[opm["output"]["shape"]].get("members", {}) if "output" in opm else {}
            if first and out and first.group(0) not in out:
                report(where, f"--query starts with `{first.group(0)}`, not an output field of {ops[op]} ({sorted(out)[:10]})")

    files = []
    for arg in sys.argv[3:]:
        files += sorted(glob.glob(os.path.join(arg, "**", "*.toml"), recursive=True)) if os.path.isdir(arg) else [arg]
    for path in files:
        doc = tomllib.load(open(path, "rb"))
        for entry in doc.get("entry", []):
            code = entry.get("code", "?")
            for field in ("cause", "remedy", "notes"):
                for cmd in re.findall(r"`(aws [^`]+)`", entry.get(field, "")):
                    check(cmd, f"{path}: {code} ({field})")


    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
