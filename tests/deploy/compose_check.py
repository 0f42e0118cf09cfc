#!/usr/bin/env python3
"""Checks deploy/compose.yaml without docker: parses it (PyYAML, Debian's python3-yaml), checks its structure,
and interpolates ${VAR}, ${VAR:-default}, ${VAR:?message} the way compose does, so a missing secret is shown to
fail. Usage: compose_check.py COMPOSE_FILE OUT_DIR. Writes OUT_DIR/redis-argv (the redis service's command,
interpolated with test values, one argument per line) for compose_test.sh to run. Exit 1 on any failure."""
import os
import re
import sys

import yaml

path, out_dir = sys.argv[1], sys.argv[2]
deploy_dir = os.path.dirname(os.path.abspath(path))
failures = 0


def check(what, ok, detail=""):
    global failures
    if ok:
        print(f"ok   {what}")
    else:
        failures += 1
        print(f"FAIL {what}{': ' + detail if detail else ''}", file=sys.stderr)


raw = open(path).read()
doc = yaml.safe_load(raw)
check("compose.yaml parses as YAML with a services mapping", isinstance(doc, dict) and isinstance(doc.get("services"), dict))
services = doc["services"]
bot, redis = services.get("bot"), services.get("redis")
check("has services bot and redis", bot is not None and redis is not None, str(list(services)))

# Compose's interpolation: $$ escapes, ${VAR}, ${VAR:-def}, ${VAR-def}, ${VAR:?msg}, ${VAR?msg}.
VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


class Missing(Exception):
    pass


def interpolate(value, env):
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        have = name in env
        val = env.get(name, "")
        if op in (":-", "-"):
            return val if (have and (val or op == "-")) else arg
        if op in (":?", "?"):
            if not have or (op == ":?" and not val):
                raise Missing(f"{name}: {arg}")
            return val
        return val

    return VAR.sub(one, value)


def env_of(service):
    e = service.get("environment") or {}
    if isinstance(e, list):
        e = dict(item.split("=", 1) if "=" in item else (item, None) for item in e)
    return e


bot_env = env_of(bot)
for secret in ("BOT_TOKEN", "WEBHOOK_SECRET"):
    v = str(bot_env.get(secret, ""))
    check(f"bot {secret} comes from ${{{secret}:?...}}", v.startswith("${" + secret + ":?"), v)
check("bot REDIS_URL uses ${REDIS_PASSWORD:?...}", "${REDIS_PASSWORD:?" in str(bot_env.get("REDIS_URL", "")),
      str(bot_env.get("REDIS_URL")))
check("bot REDIS_URL points at the redis service", "@redis:6379" in str(bot_env.get("REDIS_URL", "")))

test_env = {"BOT_TOKEN": "123456:test-placeholder", "WEBHOOK_SECRET": "test-secret", "REDIS_PASSWORD": "0123abcd"}
resolved = interpolate(doc, test_env)
check("interpolates with the secrets set", resolved["services"]["bot"]["environment"]["BOT_TOKEN"] == test_env["BOT_TOKEN"])
for secret in test_env:
    env = {k: v for k, v in test_env.items() if k != secret}
    for label, e in (("unset", env), ("empty", dict(env, **{secret: ""}))):
        try:
            interpolate(doc, e)
            check(f"{secret} {label} stops compose", False, "interpolation succeeded")
        except Missing as m:
            check(f"{secret} {label} stops compose ({m})", str(m).startswith(secret + ":"))

# Redis: image, AOF, the named volume, the sample config mounted.
check("redis image is redis:7", str(redis.get("image", "")).startswith("redis:7"), str(redis.get("image")))
cmd = resolved["services"]["redis"].get("command")
check("redis command is an argument list", isinstance(cmd, list), repr(cmd))
cmd = [str(c) for c in cmd]
check("redis command: --appendonly yes", any(cmd[i] == "--appendonly" and cmd[i + 1] == "yes" for i in range(len(cmd) - 1)))
check("redis command: --maxmemory-policy noeviction",
      any(cmd[i] == "--maxmemory-policy" and cmd[i + 1] == "noeviction" for i in range(len(cmd) - 1)))
check("redis command: --dir /data", any(cmd[i] == "--dir" and cmd[i + 1] == "/data" for i in range(len(cmd) - 1)))
check("redis command: --requirepass from REDIS_PASSWORD",
      any(cmd[i] == "--requirepass" and cmd[i + 1] == test_env["REDIS_PASSWORD"] for i in range(len(cmd) - 1)))
volumes = doc.get("volumes") or {}
mounts = [str(v) for v in redis.get("volumes", [])]
named = [m.split(":")[0] for m in mounts if not m.startswith((".", "/"))]
check("redis mounts a named volume at /data", any(m.split(":")[1] == "/data" for m in mounts if not m.startswith((".", "/"))), str(mounts))
check("the named volume is declared at top level", all(n in volumes for n in named) and named, f"{named} vs {list(volumes)}")
conf_mounts = [m for m in mounts if m.startswith(".")]
check("deploy/redis.conf is mounted into redis", any(m.split(":")[0] == "./redis.conf" for m in conf_mounts), str(mounts))
for m in conf_mounts:
    src = os.path.normpath(os.path.join(deploy_dir, m.split(":")[0]))
    check(f"mounted file {m.split(':')[0]} exists", os.path.exists(src), src)
config_in_cmd = [c for c in cmd if c.endswith(".conf")]
check("redis command reads the mounted config", any(c in [m.split(":")[1] for m in conf_mounts] for c in config_in_cmd),
      f"{config_in_cmd}")
check("redis is not published on the host", not redis.get("ports"))
hc = redis.get("healthcheck", {})
check("redis has a health check", bool(hc.get("test")))
check("redis health check does not put the password on a command line",
      "REDIS_PASSWORD" not in str(hc.get("test")) and "-a" not in [str(x) for x in hc.get("test", [])])

# Bot: built from deploy/Dockerfile with the repository as context, waits for a healthy redis.
build = bot.get("build", {})
context = os.path.normpath(os.path.join(deploy_dir, build.get("context", ".")))
dockerfile = os.path.join(context, build.get("dockerfile", "Dockerfile"))
check("bot is built from deploy/Dockerfile", os.path.samefile(dockerfile, os.path.join(deploy_dir, "Dockerfile")), dockerfile)
check("build context is the repository root", os.path.exists(os.path.join(context, "CMakeLists.txt")), context)
dep = bot.get("depends_on", {})
check("bot waits for redis to be healthy", isinstance(dep, dict) and dep.get("redis", {}).get("condition") == "service_healthy")
ports = [str(p) for p in bot.get("ports", [])]
check("bot port published on loopback only", all(p.startswith("127.0.0.1:") for p in ports), str(ports))
check("bot restarts", bot.get("restart") in ("unless-stopped", "always", "on-failure"))

# No real-looking token anywhere in the file.
check("no real-looking bot token in compose.yaml", not re.search(r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b", raw))

with open(os.path.join(out_dir, "redis-argv"), "w") as f:
    f.write("\n".join(cmd) + "\n")
sys.exit(1 if failures else 0)
