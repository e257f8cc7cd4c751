"""The `artrights` command: platform commands first, then every Django management command.

`artrights verify` runs without Django or a database (a court or partner can run it offline); everything else
goes through Django's command runner with the platform settings.
"""

from __future__ import annotations

import os
import sys

PLATFORM_COMMANDS = {
    "serve": "运行平台（Web + 后台任务）/ run the web server and the background worker",
    "demo": "载入演示数据（每个角色一个账户）/ load the demo data, one account per role",
    "createuser": "创建用户：createuser USERNAME --role ROLE / create a user with a role",
    "migrate": "更新数据库结构 / apply database migrations",
    "run_huey": "只运行后台任务进程 / run only the background worker",
    "check --deploy": "检查生产配置（不带图片时）/ check the production configuration (no image given)",
    "file": "数字作品备案：file IMAGE --title T --author A --owner O --out DIR / file a digital work",
    "verify": "离线核验证书或证据包：verify FILE [--trust trust.json] / verify a certificate or evidence offline",
    "evidence": "电子证据固化：evidence capture URL --out FILE.wacz / capture a web page as sealed evidence",
    "log": "公开日志：log verify [--against FILE] | log checkpoint [--save FILE] | log anchor / check or sign the log",
    "check": "比对疑似侵权图片：check IMAGE... / match suspect images against the registry",
    "credit": "知识产权信用：credit import FILE.csv | credit export records|listings --out FILE / IP credit",
    "match": "文件夹比对：match --references DIR --queries DIR --out preds.csv / DISC21 predictions",
    "report": "年度报告 PDF：report YEAR [--out FILE.pdf] / the yearly statistics report as PDF",
}


def print_help() -> None:
    print("用法 / usage: artrights COMMAND [options]\n")
    print("平台命令 / platform commands:")
    for name, text in PLATFORM_COMMANDS.items():
        print(f"  {name:<12} {text}")
    print("\n`artrights COMMAND --help` 查看各命令的选项 / shows a command's options.")
    print("`artrights help --all` 列出全部 Django 管理命令 / lists every Django management command.")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = argv[1:]
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        print_help()
        return 0
    if args[0] == "verify":
        # Offline: no Django, no database, no network.
        from artrights.verify import main as verify_main

        return verify_main(args[1:])
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "artrights.settings")
    from django.db import DatabaseError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["artrights", *args])
    except KeyboardInterrupt:
        # Ctrl-C before a command installed its own handler (e.g. a worker still starting): stop quietly.
        return 130
    except DatabaseError:
        if not _unapplied_migrations():
            raise
        # A fresh data folder, or a new release: say what to run instead of showing "no such table".
        print(
            "数据库尚未建立或不是最新结构，请先运行：artrights migrate\n"
            "The database is not set up or not up to date: run `artrights migrate` first.",
            file=sys.stderr,
        )
        return 2
    return 0


def _unapplied_migrations() -> bool:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


if __name__ == "__main__":
    sys.exit(main())
