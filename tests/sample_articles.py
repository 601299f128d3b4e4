"""Sample paragraphs and articles shared by the library tests (imported by name:
pytest puts ``tests/`` on the path for the test packages under it)."""

from __future__ import annotations

A = (
    "社区是疫情防控的最前线。新冠肺炎疫情发生以来，全国400多万名社区工作者坚守一线，"
    "在65万个城乡社区从事着疫情监测、出入管理、宣传教育、环境整治、困难帮扶等工作，"
    "为遏制疫情扩散蔓延、保障群众生活作出了重要贡献。"
)
B = (
    "习近平强调，现在，武汉已经解除了离汉离鄂通道管控措施，但防控任务不可松懈。"
    "社区仍然是外防输入、内防反弹的重要防线，关键是要抓好新形势下常态化工作。"
)
C = "嘉鱼县全力建设蔬菜大县。该县开辟“绿色通道”，组建工作专班24小时现场办公，负责蔬菜采收、调运、保供工作。"


def article(*paragraphs: str) -> str:
    """An article of these paragraphs, separated by blank lines."""
    return "\n\n".join(paragraphs) + "\n"
