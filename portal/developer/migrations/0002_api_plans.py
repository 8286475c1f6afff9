"""Reference data: the API plans. Their limits are rows, editable in the admin; settings name
which plan anonymous calls and new keys use (DEVELOPER_ANONYMOUS_PLAN, DEVELOPER_DEFAULT_PLAN)."""

from django.db import migrations

PLANS = [
    # code, name, description, per minute, per day, account per minute, account per day
    ("anonymous", "匿名调用", "不使用密钥的调用，按客户端地址计数，仅限无条件开放数据。", 30, 1_000, 30, 1_000),
    ("standard", "标准", "登录用户创建的密钥的默认套餐。", 600, 50_000, 1_200, 100_000),
    ("partner", "合作伙伴", "经平台审核的大流量应用。", 3_000, 1_000_000, 6_000, 2_000_000),
]


def load(apps, schema_editor):
    ApiPlan = apps.get_model("developer", "ApiPlan")
    for position, (code, name, description, rate, quota, account_rate, account_quota) in enumerate(
        PLANS
    ):
        ApiPlan.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "rate_per_minute": rate,
                "quota_per_day": quota,
                "account_rate_per_minute": account_rate,
                "account_quota_per_day": account_quota,
                "position": position,
            },
        )


def unload(apps, schema_editor):
    ApiPlan = apps.get_model("developer", "ApiPlan")
    ApiPlan.objects.filter(code__in=[p[0] for p in PLANS], keys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("developer", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
