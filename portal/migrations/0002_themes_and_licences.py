"""Reference data: catalogue themes and the open-data licence register (re-runnable)."""

from django.db import migrations

THEMES = [
    ("economy", "经济建设", "Economy"),
    ("finance", "财税金融", "Finance and taxation"),
    ("credit", "信用服务", "Credit"),
    ("market", "市场监管", "Market regulation"),
    ("transport", "交通出行", "Transport"),
    ("environment", "资源环境", "Resources and environment"),
    ("agriculture", "农业农村", "Agriculture and rural affairs"),
    ("health", "医疗卫生", "Health"),
    ("education", "教育科技", "Education and science"),
    ("culture", "文化休闲", "Culture and leisure"),
    ("social-security", "社保就业", "Social security and employment"),
    ("civil-affairs", "民生服务", "Public services"),
    ("urban", "城建住房", "Urban construction and housing"),
    ("safety", "安全生产", "Work safety"),
    ("public-security", "公共安全", "Public security"),
    ("government", "机构团体", "Government and organisations"),
    ("geography", "地理空间", "Geospatial"),
    ("weather", "气象服务", "Weather"),
    ("tourism", "旅游出行", "Tourism"),
    ("energy", "能源水电", "Energy and utilities"),
]

LICENCES = [
    {
        "code": "platform-open",
        "name": "公共数据开放许可协议",
        "name_en": "Public Data Open Licence",
        "url": "",
        "summary": (
            "在注明数据来源的前提下，任何人可以免费获取、使用、复制、传播和再开发本平台无条件开放的数据，"
            "包括用于商业目的。\n\n"
            "- 须注明数据提供单位和本平台名称；\n"
            "- 不得歪曲、篡改数据或以误导性方式使用；\n"
            "- 不得利用数据从事违法活动，或侵犯国家秘密、商业秘密和个人隐私；\n"
            "- 数据按现状提供，平台和数据提供单位不对使用后果承担责任。"
        ),
        "is_open": True,
        "is_default": True,
        "position": 0,
    },
    {
        "code": "cc-by-4.0",
        "name": "知识共享 署名 4.0 国际 (CC BY 4.0)",
        "name_en": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "summary": "可自由共享和演绎，须署名。",
        "is_open": True,
        "is_default": False,
        "position": 1,
    },
    {
        "code": "cc0-1.0",
        "name": "知识共享 CC0 1.0 公有领域贡献",
        "name_en": "Creative Commons CC0 1.0 Universal",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/",
        "summary": "放弃全部著作权及相关权利，可不受限制地使用。",
        "is_open": True,
        "is_default": False,
        "position": 2,
    },
    {
        "code": "odc-by-1.0",
        "name": "开放数据共享 署名许可 (ODC-By 1.0)",
        "name_en": "Open Data Commons Attribution License 1.0",
        "url": "https://opendatacommons.org/licenses/by/1-0/",
        "summary": "数据库可自由使用，须署名。",
        "is_open": True,
        "is_default": False,
        "position": 3,
    },
    {
        "code": "conditional-agreement",
        "name": "有条件开放数据使用协议",
        "name_en": "Conditional Data Use Agreement",
        "url": "",
        "summary": (
            "有条件开放数据须经申请并获批准后在约定的用途、场景和期限内使用，"
            "不得向第三方提供，并按要求反馈使用情况。"
        ),
        "is_open": False,
        "is_default": False,
        "position": 4,
    },
]


def load(apps, schema_editor):
    Theme = apps.get_model("portal", "Theme")
    Licence = apps.get_model("portal", "Licence")
    for position, (code, name, name_en) in enumerate(THEMES):
        Theme.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )
    for data in LICENCES:
        data = dict(data)
        Licence.objects.update_or_create(code=data.pop("code"), defaults=data)


def unload(apps, schema_editor):
    apps.get_model("portal", "Theme").objects.filter(code__in=[t[0] for t in THEMES]).delete()
    apps.get_model("portal", "Licence").objects.filter(
        code__in=[lic["code"] for lic in LICENCES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
