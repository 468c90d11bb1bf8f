"""Demo data for the facility log and the service desk: exactly the facilities of issue 4
(28 套 休闲座椅, 1 组 儿童滑梯, 2 套 秋千, 5 个 摇摇马, 1 个 跷跷板, 2 台 乒乓球桌; planned 电动车充电桩,
社区图书馆, 党群服务中心) and requests with roof leaks (漏雨) and power cuts (停电), some resolved."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from ..models import (
    Building,
    Community,
    Facility,
    FacilityEvent,
    FacilityKind,
    RequestCategory,
    Resident,
    ServiceRequest,
)
from ..queries import service_desk

# (kind, name, quantity, unit, building, location, status, installed days ago / planned days ahead,
#  builder, cost, funding, responsible, next step)
FACILITIES = [
    ("休闲座椅", "中心花园休闲座椅", 12, "套", "", "中心花园", "已完工", 420, "北京园林设施有限公司",
     "21600.00", "社区公益金", "张敏", ""),
    ("休闲座椅", "健身步道休闲座椅", 10, "套", "", "健身步道沿线", "已完工", 420, "北京园林设施有限公司",
     "18000.00", "社区公益金", "张敏", ""),
    ("休闲座椅", "3号楼南侧休闲座椅", 6, "套", "3号楼", "南侧绿地", "已完工", 200, "北京园林设施有限公司",
     "10800.00", "社区公益金", "张敏", ""),
    ("儿童滑梯", "儿童乐园滑梯", 1, "组", "", "儿童乐园", "已完工", 380, "京南游乐设备厂", "26500.00",
     "镇政府专项资金", "李建国", ""),
    ("秋千", "儿童乐园秋千", 2, "套", "", "儿童乐园", "已完工", 380, "京南游乐设备厂", "7800.00",
     "镇政府专项资金", "李建国", ""),
    ("摇摇马", "儿童乐园摇摇马", 5, "个", "", "儿童乐园", "已完工", 380, "京南游乐设备厂", "4250.00",
     "镇政府专项资金", "李建国", ""),
    ("跷跷板", "儿童乐园跷跷板", 1, "个", "", "儿童乐园", "已完工", 380, "京南游乐设备厂", "1980.00",
     "镇政府专项资金", "李建国", ""),
    ("乒乓球桌", "文体广场乒乓球桌", 2, "台", "", "文体广场", "已完工", 300, "双鱼体育用品", "5600.00",
     "社区公益金", "王强", ""),
    ("电动车充电桩", "电动车集中充电桩", 20, "台", "", "5号楼、9号楼自行车棚", "规划中", -60, "", "36000.00",
     "镇政府专项资金", "王强", "征求居民意见并报镇政府审批"),
    ("社区图书馆", "社区图书馆改造", 1, "个", "", "社区服务楼二层", "已立项", -90, "", "85000.00",
     "区文旅局补贴", "张敏", "完成设计方案，招募图书管理志愿者"),
    ("党群服务中心", "党群服务中心提升改造", 1, "个", "", "社区服务楼一层", "规划中", -150, "", "120000.00",
     "镇党委专项经费", "刘书记", "上报改造方案，听取党员和居民代表意见"),
]

# (category, type, channel, description, received days ago, status, assigned to, resolution, solved,
#  satisfaction, facility name)
REQUESTS = [
    ("漏雨", "诉求", "电话", "顶楼卧室天花板漏雨，雨天滴水", 75, "已回访", "赵国庆", "联系物业修补屋面防水层，雨后复查不再漏水",
     "解决", "满意", ""),
    ("漏雨", "求助", "来访", "6层楼道窗户处漏雨，墙皮脱落", 52, "已回访", "赵国庆", "物业更换窗框密封胶，修补墙面", "解决",
     "基本满意", ""),
    ("漏雨", "诉求", "微信群", "楼顶防水老化，雨后家中墙角渗水", 6, "处理中", "赵国庆", "", "", "未评价", ""),
    ("停电", "求助", "电话", "单元楼道和两户家中突然停电", 40, "已回访", "孙明", "联系供电所抢修，更换烧毁的空气开关", "解决",
     "满意", ""),
    ("停电", "诉求", "来访", "晚间整栋楼停电，老人家中冰箱药品需冷藏", 3, "已办结", "孙明", "供电所更换电缆接头，当晚恢复供电",
     "解决", "未评价", ""),
    ("停水", "咨询", "电话", "询问停水检修何时结束", 20, "已回访", "王强", "告知自来水公司检修时间，次日上午恢复供水", "解决",
     "满意", ""),
    ("维修", "诉求", "来访", "儿童乐园秋千链条松动，孩子玩耍有危险", 15, "已办结", "李建国", "更换秋千链条和挂钩", "解决",
     "未评价", "儿童乐园秋千"),
    ("环境卫生", "投诉", "微信群", "3号楼东侧垃圾桶满溢未及时清运", 12, "处理中", "王强", "", "", "未评价", ""),
    ("邻里纠纷", "求助", "来访", "楼上住户夜间噪音影响休息", 9, "待受理", "", "", "", "未评价", ""),
    ("其他", "建议", "微信群", "建议在文体广场增加休闲座椅", 4, "待受理", "", "", "", "未评价", ""),
]


def add(rng: random.Random, today: dt.date) -> None:
    community = Community.select().order_by(Community.sort_order, Community.id).first()
    kinds = {k.name: k.id for k in FacilityKind.select()}
    by_name: dict[str, int] = {}
    for (kind, name, qty, unit, building, location, status, days, builder, cost, funding, responsible,
         next_step) in FACILITIES:
        building_id = None
        if building and community is not None:
            building_id = Building.get_or_create(community=community.id, name=building)[0].id
        planned = status in ("规划中", "已立项", "施工中")
        installed = None if planned else today - dt.timedelta(days=days)
        planned_date = today - dt.timedelta(days=days) if planned else installed - dt.timedelta(days=60)
        facility = Facility.create(
            kind=kinds[kind], name=name, quantity=qty, unit=unit, community=community, building=building_id,
            location=location, status=status, planned_date=planned_date, installed_date=installed, builder=builder,
            cost=Decimal(cost), funding=funding, responsible=responsible, next_step=next_step)
        by_name[name] = facility.id
        FacilityEvent.create(facility=facility.id, kind="状态变更", date=installed or today, who=responsible,
                             found="登记入台账", new_status=status)
        if installed:
            # a monthly inspection round; the benches by the fitness path were last checked long ago
            last = today - dt.timedelta(days=rng.randint(5, 40) if "健身步道" not in name else 130)
            FacilityEvent.create(facility=facility.id, kind="巡检", date=last, who=responsible,
                                 found=rng.choice(("完好", "完好，已清洁", "螺丝略松，已紧固")))
    swing = by_name["儿童乐园秋千"]
    FacilityEvent.create(facility=swing, kind="维修", date=today - dt.timedelta(days=14), who="李建国",
                         found="秋千链条松动，更换链条和挂钩", cost=Decimal("360.50"))
    _requests(rng, today, community, by_name)


def _requests(rng: random.Random, today: dt.date, community, facilities: dict[str, int]) -> None:
    categories = {c.name: c.id for c in RequestCategory.select()}
    residents = list(Resident.select(Resident.id, Resident.name, Resident.phone, Resident.address,
                                     Resident.community, Resident.household)
                     .where(Resident.phone != "").order_by(Resident.id).limit(200))
    for (category, kind, channel, description, days, status, assigned, resolution, solved, satisfaction,
         facility) in sorted(REQUESTS, key=lambda r: -r[4]):  # numbered in the order received
        received = dt.datetime.combine(today - dt.timedelta(days=days),
                                       dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
        person = rng.choice(residents) if residents else None
        resolved = received.date() + dt.timedelta(days=rng.randint(1, 3)) if status in ("已办结", "已回访") else None
        ServiceRequest.create(
            number=service_desk.next_number(received.year), type=kind,
            resident=person.id if person else None, household=person.household_id if person else None,
            community=person.community_id if person else (community.id if community else None),
            contact_name=person.name if person else "王秀英", contact_phone=person.phone if person else "13800138000",
            address=person.address if person else "", category=categories[category], description=description,
            received_at=received, channel=channel, assigned_to=assigned,
            deadline=received.date() + dt.timedelta(days=7), status=status, resolution=resolution,
            resolved_date=min(resolved, today) if resolved else None, solved=solved, satisfaction=satisfaction,
            followup_date=min(resolved + dt.timedelta(days=2), today) if status == "已回访" and resolved else None,
            facility=facilities.get(facility))
