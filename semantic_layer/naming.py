"""Words for drafted models: clean names, English and Chinese labels, synonyms.

A warehouse's names ("Claim Amount", "InvoiceNo", "cust_qty") are split into words, common
abbreviations are expanded, and a built-in bilingual business glossary gives the Chinese
(longest phrase first: "unit price" → 单价 before "price" → 价格). A word the glossary lacks
stays as it is inside the Chinese label, so a label is never silently wrong.
"""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "qty": "quantity", "qnty": "quantity", "amt": "amount", "amnt": "amount", "no": "number",
    "nbr": "number", "num": "number", "cust": "customer", "desc": "description", "dt": "date",
    "prod": "product", "cat": "category", "addr": "address", "dob": "date of birth",
    "pct": "percent", "avg": "average", "acct": "account", "txn": "transaction", "inv": "invoice",
    "emp": "employee", "dept": "department", "mgr": "manager", "org": "organization",
    "qtr": "quarter", "yr": "year", "mth": "month", "val": "value", "prem": "premium",
    "pol": "policy", "clm": "claim", "ts": "timestamp", "tel": "telephone", "cnt": "count",
    "st": "status", "ctry": "country", "pmt": "payment", "pymt": "payment", "svc": "service",
    "mnt": "amount", "cmp": "campaign", "prods": "products", "camp": "campaign", "uid": "user id",
    "impr": "impressions", "imps": "impressions", "conv": "conversion", "convs": "conversions",
    "lineitem": "line item", "lineitems": "line items",  # Shopify's 'Lineitem quantity'
    "disc": "discount", "dow": "day of week", "hh": "household",  # dunnhumby's RETAIL_DISC, Instacart's order_dow
    "moy": "month of year", "dom": "day of month", "qoy": "quarter of year", "ext": "extended",  # TPC-DS's date_dim
    "adr": "average daily rate",  # hotels: the room's price per night, averaged, never summed
}

GLOSSARY: dict[str, tuple[str, tuple[str, ...]]] = {
    # phrase: (Chinese, extra synonyms in either language)
    "page view": ("浏览量", ("pageviews", "pv", "page views", "页面浏览量", "浏览次数")),
    "page views": ("浏览量", ("pageviews", "pv", "page view", "页面浏览量", "浏览次数")),
    "channel grouping": ("渠道分组", ("default channel grouping", "channel group", "渠道分组")),
    "grouping": ("分组", ()),
    "unit price": ("单价", ("price",)), "stock code": ("商品编码", ("sku", "product code")),
    "date of birth": ("出生日期", ("birthday", "生日")), "product line": ("产品线", ()),
    "policy holder": ("投保人", ("policyholder", "保单持有人")), "first name": ("名", ()),
    "last name": ("姓", ()), "full name": ("姓名", ()), "payment method": ("支付方式", ("付款方式",)),
    "order date": ("下单日期", ()), "age band": ("年龄段", ("age group",)),
    "loyalty tier": ("会员等级", ("tier",)), "store type": ("门店类型", ()),
    "sales amount": ("销售额", ("sales", "revenue", "营收", "销售金额")),
    "sales value": ("销售额", ("sales", "revenue", "营收", "销售金额")),
    "extended sales price": ("销售额", ("sales", "revenue", "营收", "销售金额", "sales amount")),
    "extended price": ("销售金额", ("line total", "extended amount")), "extended": ("扩展", ()),
    "amount": ("金额", ()), "quantity": ("数量", ("units", "件数")), "price": ("价格", ()),
    "country": ("国家", ("国別", "market")), "invoice": ("发票", ("订单",)), "invoices": ("发票", ()),
    "customer": ("客户", ("client", "顾客", "用户")), "customers": ("客户", ("顾客", "顾客数", "客流")), "client": ("客户", ("顾客",)), "order": ("订单", ()), "product": ("产品", ("商品",)),
    "category": ("类别", ("品类", "类目")), "date": ("日期", ()), "time": ("时间", ()),
    "sales": ("销售", ()), "revenue": ("收入", ("营收",)), "cost": ("成本", ()), "discount": ("折扣", ()),
    "region": ("地区", ("区域", "大区")), "city": ("城市", ()), "store": ("门店", ("shop", "店铺")),
    "brand": ("品牌", ()), "gender": ("性别", ("sex",)), "age": ("年龄", ()), "policy": ("保单", ()),
    "claim": ("理赔", ("索赔",)), "premium": ("保费", ()), "agent": ("代理人", ("经纪人",)),
    "agency": ("代理机构", ()), "payment": ("付款", ("支付",)), "status": ("状态", ()),
    "type": ("类型", ()), "name": ("名称", ()), "number": ("编号", ()), "id": ("编号", ()),
    "key": ("键", ()), "description": ("描述", ()), "code": ("代码", ()), "line": ("明细", ()),
    "lines": ("明细", ()), "holder": ("持有人", ()), "vehicle": ("车辆", ()), "make": ("品牌", ()),
    "model": ("型号", ()), "coverage": ("保障", ("险种",)), "limit": ("限额", ()),
    "deductible": ("免赔额", ()), "adjuster": ("理赔员", ()), "method": ("方式", ()), "due": ("应付", ()),
    "paid": ("已付", ()), "start": ("开始", ()), "end": ("结束", ()), "hire": ("入职", ()),
    "birth": ("出生", ()), "email": ("邮箱", ()), "phone": ("电话", ()), "telephone": ("电话", ()),
    "year": ("年份", ()), "month": ("月份", ()), "quarter": ("季度", ()), "day": ("日", ()),
    "value": ("价值", ()), "frequency": ("频率", ()), "tier": ("等级", ()), "loyalty": ("会员", ()),
    "band": ("段", ()), "office": ("办公室", ()), "cause": ("原因", ()), "segment": ("细分", ()),
    "channel": ("渠道", ()), "campaign": ("活动", ("广告系列",)), "spend": ("花费", ()), "employee": ("员工", ()),
    "department": ("部门", ()), "account": ("账户", ()), "transaction": ("交易", ()),
    "supplier": ("供应商", ()), "shipper": ("物流公司", ("carrier", "承运商", "快递公司", "快递")),
    "carrier": ("承运商", ("物流公司",)), "rental": ("租赁", ("租借", "出租")), "film": ("影片", ("电影",)), "shipping": ("运费", ()), "weight": ("重量", ()), "score": ("评分", ()),
    "rate": ("比率", ()), "total": ("总", ()), "net": ("净", ()), "gross": ("毛", ()), "tax": ("税", ()),
    "profit": ("利润", ()), "margin": ("毛利", ()), "balance": ("余额", ()), "income": ("收入", ()),
    "salary": ("工资", ()), "fee": ("费用", ()), "address": ("地址", ()), "state": ("州", ()),
    "province": ("省份", ()), "district": ("区县", ()), "zip": ("邮编", ()), "postal": ("邮政", ()),
    "currency": ("币种", ()), "source": ("来源", ()), "level": ("级别", ()), "group": ("组", ()),
    "class": ("类", ()), "family": ("家庭", ()), "member": ("会员", ()), "user": ("用户", ("players", "玩家")),
    "visit": ("访问", ()), "session": ("会话", ()), "event": ("事件", ()), "item": ("商品", ()),
    "items": ("商品", ()), "unit": ("单位", ()), "units": ("件数", ()), "count": ("数量", ()),
    "duration": ("时长", ()), "days": ("天数", ()), "hours": ("小时数", ()), "distance": ("距离", ()),
    "expense": ("费用", ()), "budget": ("预算", ()), "target": ("目标", ()), "contract": ("合同", ()),
    "company": ("公司", ()), "industry": ("行业", ()), "country code": ("国家代码", ()),
    "sale": ("销售", ()), "buyer": ("买家", ("购买人数",)), "sold": ("已售", ()), "average": ("平均", ()),
    "units sold": ("销量", ("销售数量",)), "mean": ("平均", ()), "insured": ("被保险", ()), "party": ("方", ()),
    "insured party": ("被保险人", ()), "beneficiary": ("受益人", ()), "underwriter": ("核保人", ()),
    "broker": ("经纪人", ()), "commission": ("佣金", ()), "risk": ("风险", ()), "loss": ("损失", ()),
    "reserve": ("准备金", ()), "settlement": ("结算", ()), "incident": ("事故", ()), "accident": ("事故", ()),
    "injury": ("伤害", ()), "property": ("财产", ()), "location": ("地点", ()), "building": ("建筑", ()),
    "occupation": ("职业", ()), "marital": ("婚姻", ("marital status", "婚姻状况")), "education": ("学历", ("education level", "教育")), "vendor": ("供应商", ()),
    "lead": ("线索", ()), "opportunity": ("商机", ("deal",)), "contact": ("联系人", ("contact type", "联系方式")), "activity": ("活动", ()),
    "ticket": ("工单", ()), "stage": ("阶段", ()), "owner": ("负责人", ()), "priority": ("优先级", ()),
    "deal": ("交易", ()), "lifecycle": ("生命周期", ()), "territory": ("区域", ("territories", "地区")),
    "country region": ("国家/地区", ("country", "countries", "国家", "country or region")),
    "country region code": ("国家/地区代码", ("country", "countries", "country code", "国家", "国家代码")),
    "lead source": ("线索来源", ("潜在客户来源", "获客来源", "source of leads")),
    "media source": ("媒体渠道", ("渠道", "媒体来源", "投放渠道", "channel", "channels", "network", "ad network")),
    "close date": ("成交日期", ("关闭日期", "结单日期")), "opportunity owner": ("商机负责人", ("负责人", "owner", "销售")), "quote": ("报价", ()), "renewal": ("续保", ()), "stock": ("库存", ()),
    "warehouse": ("仓库", ()), "shipment": ("发货", ()), "basket": ("购物篮", ()), "cart": ("购物车", ()),
    "promotion": ("促销", ()), "coupon": ("优惠券", ()), "coupon code": ("优惠码", ("优惠券码", "券码", "优惠券")),
    "promo code": ("优惠码", ("促销码", "优惠券码")), "discount code": ("折扣码", ("优惠码",)),
    "voucher": ("代金券", ("优惠券",)), "referral code": ("推荐码", ("邀请码",)), "promo": ("促销", ()), "detail": ("明细", ()), "details": ("明细", ()),
    "plan": ("计划", ("套餐", "订阅计划", "方案")), "point": ("积分", ()), "points": ("积分", ("积分数", "积分值")), "service": ("服务", ()), "subscription": ("订阅", ()),
    "subscriber": ("订阅用户", ("订阅者", "订阅会员", "订阅客户")), "invoice line": ("发票明细", ()),
    "order line": ("订单明细", ()), "order item": ("订单商品", ()), "employee id": ("员工编号", ()),
    "full": ("全", ()), "street": ("街道", ()), "country name": ("国家", ()), "city name": ("城市", ()),
    "claim type": ("理赔类型", ()), "policy type": ("保单类型", ()), "policy number": ("保单号", ()),
    "claim number": ("理赔编号", ()), "invoice number": ("发票号", ()), "order number": ("订单号", ()),
    "sum insured": ("保额", ()), "premium amount": ("保费金额", ()), "total amount": ("总金额", ()),
    "fact": ("", ()), "dim": ("", ()), "used": ("", ()),  # 'Channel_Used': the channel
    "operating": ("营业", ()), "operating margin": ("营业利润率", ()), "hotel": ("酒店", ()),
    "booking": ("预订", ()), "closed deal": ("成交", ("成交交易",)), "created": ("创建", ()), "updated": ("更新", ()),
    "signup": ("注册", ()), "registration": ("注册", ()), "open": ("开", ()), "close": ("关", ()),
    "title": ("标题", ()), "color": ("颜色", ()), "colour": ("颜色", ()), "size": ("尺码", ()),
    "ship": ("发货", ()), "delivery": ("配送", ()), "return": ("退货", ()), "refund": ("退款", ()),
    "coverage limit": ("保额", ("sum insured",)), "annual premium": ("年保费", ("premium",)),
    "claim amount": ("理赔金额", ("claims paid",)), "paid amount": ("赔付金额", ("payout",)),
    "vehicle value": ("车辆价值", ()), "model year": ("车型年份", ()), "full date": ("日期", ()),
    "status name": ("状态", ()), "method name": ("方式", ()), "sales id": ("销售编号", ()),
    "freight": ("运费", ("shipping", "shipping fee", "shipping fees", "shipping cost", "delivery fee")), "freight value": ("运费", ("shipping cost", "freight")),
    "review": ("评价", ("评论",)), "review score": ("评分", ("rating", "评价分")), "rating": ("评分", ()),
    "seller": ("卖家", ("商家",)), "merchant": ("商家", ()), "purchase": ("购买", ()), "delivered": ("送达", ()),
    "creation": ("创建", ()), "installments": ("分期数", ()), "installment": ("分期", ()),
    "sequential": ("序号", ()), "shipped": ("发货", ()), "approved": ("审核", ("批准",)), "estimated": ("预计", ()),
    "purchase timestamp": ("下单时间", ()), "timestamp": ("时间", ()), "payment type": ("付款方式", ("支付方式",)),
    "payment value": ("付款金额", ("支付金额",)), "nickname": ("昵称", ()),
    "device": ("设备", ("终端",)), "impression": ("曝光量", ("展示量",)), "click": ("点击量", ()),
    "impr": ("曝光量", ("impressions", "impression")),
    "conversion": ("转化数", ()), "conversion value": ("转化价值", ()), "conversion rate": ("转化率", ()),
    "ad": ("广告", ()), "ads": ("广告", ()), "performance": ("效果", ()), "reach": ("触达人数", ()),
    "view": ("观看量", ()), "video": ("视频", ()), "engagement": ("互动量", ()), "like": ("点赞数", ()),
    "share": ("分享数", ()), "comment": ("评论数", ()), "follower": ("粉丝数", ()), "platform": ("平台", ()),
    "ad group": ("广告组", ()), "ad set": ("广告组", ()), "adset": ("广告组", ()), "keyword": ("关键词", ()),
    "flow": ("流程", ("自动化流程", "automation")), "placed order": ("下单数", ("下单", "下单量", "下单次数")),
    "purchase amount": ("购买金额", ("消费金额", "消费额")),
    "creative": ("创意", ()), "objective": ("目标", ("goal",)), "placement": ("版位", ()), "audience": ("受众", ()),
    "campaign name": ("活动名称", ()), "medium": ("媒介", ()), "utm": ("UTM", ()), "landing page": ("落地页", ()),
    "reorder": ("复购", ("repurchase", "回购")), "reorder rate": ("复购率", ("repurchase rate", "回购率")),
    "reorders": ("复购次数", ()), "aisle": ("货架", ("通道",)), "household": ("家庭", ("户",)),
    "commodity": ("商品类别", ("品类",)), "day of week": ("星期", ("weekday", "星期几", "周几")),
    "hour of day": ("小时", ("hour", "时段", "几点")), "homeowner": ("房主", ("住房",)),
    "won": ("赢单", ("closed won",)), "lost": ("输单", ("closed lost",)), "active": ("活跃", ()),
    "churned": ("已流失", ()), "returned": ("已退货", ()), "cancelled": ("已取消", ()), "canceled": ("已取消", ()),
    "subscribed": ("已订阅", ()), "opened": ("已打开", ()), "clicked": ("已点击", ()), "converted": ("已转化", ()),
    "churn": ("流失", ("attrition",)), "response": ("响应", ()), "complain": ("投诉", ("complaint",)),
    "complaint": ("投诉", ()), "senior citizen": ("老年客户", ("senior", "senior customer", "老年")),
    "tenure": ("在网时长", ("months with us",)), "monthly charges": ("月费", ("monthly charge", "monthly fee")),
    "total charges": ("总费用", ()), "charges": ("费用", ()), "internet service": ("网络服务", ("internet",)),
    "phone service": ("电话服务", ()), "paperless billing": ("无纸化账单", ()), "tech support": ("技术支持", ()),
    "dependents": ("家属", ()), "partner": ("伴侣", ()), "marital status": ("婚姻状况", ("marital",)),
    "job": ("职业", ()), "housing": ("房贷", ("housing loan",)),
    "loan": ("贷款", ("personal loan",)), "default": ("违约", ("credit in default",)),
    "wines": ("葡萄酒", ("wine",)), "fruits": ("水果", ("fruit",)), "meat products": ("肉类", ("meat",)),
    "fish products": ("鱼类", ("fish",)), "sweet products": ("甜品", ("sweets",)), "gold products": ("黄金制品", ("gold",)),
    "web purchases": ("网购次数", ("online purchases",)), "store purchases": ("门店购买次数", ()),
    "catalog purchases": ("目录购买次数", ()), "deals purchases": ("折扣购买次数", ("deal purchases",)),
    "web visits month": ("每月网站访问次数", ("web visits",)), "recency": ("最近购买天数", ()),
    "spent": ("花费", ("spend", "amount spent")), "interest": ("兴趣", ()), "accepted": ("接受", ()),
    "annual": ("年", ()), "monthly": ("月", ("每月",)), "monthly fee": ("月费", ("月度费用", "每月费用")),
    "acquisition": ("获客", ()),
    "acquisition channel": ("获客渠道", ("渠道", "来源渠道")), "email campaign": ("邮件活动", ("邮件营销活动",)), "original source": ("原始来源", ("来源", "获客来源")), "payable": ("应付", ()),
    "influencer": ("达人", ("主播", "博主", "带货达人")), "traffic source": ("流量来源", ("来源",)),
    "emails sent": ("邮件发送量", ("发送量", "发送数", "发送邮件数")), "email sent": ("邮件发送量", ("发送量",)), "annual income": ("年收入", ("income", "yearly income")), "spending": ("消费", ()),
    "spending score": ("消费评分", ("spending", "消费分")), "sub category": ("子类别", ("子类", "subcategory")),
    "ship mode": ("配送方式", ("shipping mode", "shipping method", "运输方式", "发货方式")),
    "ship date": ("发货日期", ()), "test group": ("测试组", ("group", "分组", "实验组")), "test": ("测试", ()),
    "segment name": ("细分", ()), "postal code": ("邮编", ("zip code", "zip")), "review answer": ("评价回复", ()),
    "install": ("安装量", ()), "signups": ("注册数", ()), "sign": ("注册", ()), "bounce": ("跳出", ()), "bounce rate": ("跳出率", ("bounces",)),
    "new sessions": ("新会话占比", ("percent new sessions", "% new sessions", "new session rate")),
    # email, web-analytics and ad-platform exports (Mailchimp, GA4, Meta Ads Manager)
    "opens": ("打开数", ("打开次数",)), "unique opens": ("唯一打开数", ("唯一打开", "独立打开数")),
    "open rate": ("打开率", ()), "click rate": ("点击率", ()),
    "click through rate": ("点击率", ("ctr", "clickthrough rate", "click-through rate")),
    "cost per click": ("单次点击成本", ("cpc",)), "cost per acquisition": ("单次获客成本", ("cpa",)),
    "pages per visit": ("每次访问页数", ("pages per session",)), "time on site": ("停留时长", ("time spent on site",)), "unique clicks": ("唯一点击数", ("独立点击数",)),
    "unsubscribe": ("退订", ()), "unsubscribes": ("退订数", ("退订", "退订人数")), "recipient": ("收件人", ()),
    "recipients": ("收件人数", ("收件人",)), "list": ("列表", ("名单",)), "subject": ("主题", ("邮件主题",)),
    "successful deliveries": ("成功送达数", ("delivered", "deliveries", "送达数")), "forwarded": ("转发", ()),
    "times forwarded": ("转发次数", ()), "abuse complaints": ("投诉数", ("spam complaints",)),
    "hard bounces": ("硬退信数", ()), "soft bounces": ("软退信数", ()), "weekday": ("星期", ()),
    "engaged": ("互动", ()), "engaged sessions": ("互动会话数", ()), "engagement rate": ("互动率", ()),
    "key event": ("关键事件", ()), "key events": ("关键事件数", ("关键事件",)), "key event rate": ("关键事件率", ()),
    "session key event rate": ("会话关键事件率", ("key event rate",)), "sessions": ("会话数", ("会话",)),
    "source medium": ("来源/媒介", ("source / medium", "来源 / 媒介", "来源媒介")),
    "session source medium": ("来源/媒介", ("source / medium", "source medium", "来源 / 媒介", "来源媒介", "source",
                                        "sources", "traffic source", "traffic sources", "来源", "流量来源")),
    "default channel group": ("默认渠道组", ("channel", "channels", "channel group", "渠道")),
    "session default channel group": ("默认渠道组", ("channel", "channels", "channel group", "渠道")),
    "grand total": ("总计", ()), "link": ("链接", ()), "link clicks": ("链接点击量", ("链接点击", "链接点击数")), "results": ("成效", ("成果",)),
    "purchases": ("购买次数", ("购买", "购买数")), "line item": ("商品明细", ("line items", "order line")),
    "lead time": ("提前天数", ("提前期", "提前预订天数", "提前预订")), "market segment": ("市场细分", ("细分市场",)),
    "distribution channel": ("分销渠道", ()), "room type": ("房型", ("房间类型",)),
    "reservation status": ("预订状态", ()), "origin": ("来源", ("lead source", "source")),
    "geography": ("国家", ("country", "countries", "geo", "地区", "地域")), "credit": ("信用", ()),
    "credit score": ("信用分", ("信用评分", "信用分数", "credit rating")), "cr card": ("信用卡", ("credit card",)),
    "credit card": ("信用卡", ()), "visitor": ("访客", ()), "visitor type": ("访客类型", ("visitor types",)),
    "traffic": ("流量", ()), "traffic type": ("流量类型", ("traffic source type", "流量来源类型")),
    "operating systems": ("操作系统", ("operating system", "os")), "browser": ("浏览器", ()),
    "special day": ("特殊日期", ()), "page values": ("页面价值", ("page value",)), "exit rates": ("退出率", ("exit rate",)),
    "bounce rates": ("跳出率", ("bounce rate",)), "weekend": ("周末", ("weekends",)), "player": ("玩家", ()),
    "game": ("游戏", ()), "rounds": ("局数", ("回合数",)), "game rounds": ("游戏局数", ("rounds played", "游戏回合数")),
    "version": ("版本", ()), "products": ("产品", ()), "active member": ("活跃会员", ("active",)),
    "default address": ("默认地址", ()), "arrival date": ("到店日期", ("入住日期", "arrival")), "average daily rate": ("平均每日房价", ("adr", "daily rate", "平均房价")),
}
_PLURAL_ZH = {"销售交易": "销售笔数", "交易": "交易笔数", "发票": "发票数", "客户": "客户数", "订单": "订单数", "保单": "保单数", "理赔": "理赔数",
              "产品": "产品数", "门店": "门店数", "车辆": "车辆数", "代理人": "代理人数", "付款": "付款笔数"}
_ID_WORDS = {"id", "key", "number", "code", "uuid", "guid", "sku", "ref", "reference", "sk"}
_SPLIT = re.compile(r"[^A-Za-z0-9\u4e00-\u9fff]+")
_DIGITS = re.compile(r"(?<=[A-Za-z])(?=[0-9])")
_LETTER_DIGIT_LETTER = re.compile(r"[A-Za-z]{1,2}[0-9][A-Za-z]{1,2}")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


_UNITS = re.compile(r"\s*[(\[][^)\]]*[)\]]")


def unit_of(name: str) -> str | None:
    """The unit or scale a header carries in brackets: 'Annual Income (k$)' → 'k$',
    'Spending Score (1-100)' → '1-100'."""
    found = _UNITS.search(name)
    return found.group(0).strip()[1:-1].strip() or None if found and _UNITS.sub("", name).strip() else None


def _initials_in_brackets(name: str) -> str | None:
    """The short name a header spells out before it in brackets, by the initials of its words
    (Amazon's 'Total Advertising Cost of Sales (ACOS)', 'Cost Per Click (CPC)', 'Click-Thru Rate
    (CTR)'): a word of the header, unlike a unit ('Amount spent (USD)', 'Income (k$)')."""
    for found in _UNITS.finditer(name):
        short = found.group(0).strip()[1:-1].strip()
        if not re.fullmatch(r"[A-Z]{2,6}", short):
            continue
        before = [w for w in re.split(r"[^A-Za-z]+", name[:found.start()]) if w]
        initials = "".join(w[0] for w in before).upper()
        if len(short) >= 3 and short in initials:
            return short.lower()
        if len(short) == 2 and initials.endswith(short):
            return short.lower()
    return None


def words(name: str) -> list[str]:
    """Lower-case words of a name, abbreviations expanded: 'CustQty' → ['customer', 'quantity'];
    a unit in brackets is no word of it ('Annual Income (k$)' → ['annual', 'income']); words
    run together in one case are told apart ('QUANTITYORDERED' → ['quantity', 'ordered'])."""
    found: list[str] = []
    if unit_of(name):
        short = _initials_in_brackets(name)
        name = _UNITS.sub(" ", name) + (f" {short}" if short else "")
    for part in _SPLIT.split(name):
        if _LETTER_DIGIT_LETTER.fullmatch(part):  # 'B2B', 'b2c', 'P2P': one word
            found.append(part.lower())
            continue
        translated = _from_chinese(part)
        if translated is not None:  # a Chinese header: the English words it says
            found += [w for t in translated for w in (ABBREVIATIONS[t].split() if t in ABBREVIATIONS else [t])]
            continue
        for camel in _CAMEL.split(part):
            for piece in _DIGITS.split(camel):  # 'Cmp3' → cmp 3 (only here: clean names keep 'cmp3')
                if piece:
                    lowered = piece.lower()
                    found += ABBREVIATIONS[lowered].split() if lowered in ABBREVIATIONS \
                        else _joined_key(" ".join(run_together(lowered))).split()
    if len(found) > 1 and (found[-1] in CURRENCY_CODES or found[0] in CURRENCY_CODES):
        # 'total_usd', 'revenue_eur', 'usd_amount': the currency is the unit, like 'Total (USD)'
        found = found[:-1] if found[-1] in CURRENCY_CODES else found[1:]
    if len(found) > 1 and found[-1] == "pos":  # 'banner_pos', Criteo's 'click_pos': a position ('POS' alone is a till)
        found[-1] = "position"
    return found


CURRENCY_CODES = frozenset({
    "usd", "eur", "gbp", "cny", "rmb", "jpy", "inr", "aud", "cad", "chf", "hkd", "twd", "sgd", "krw", "brl",
    "mxn", "sek", "nok", "dkk", "nzd", "zar", "pln", "thb", "idr", "myr", "php", "vnd", "aed", "sar"})
"""ISO currency codes a column name carries as its unit ('total_usd', 'gmv_cny', 'price_eur')."""


_JOINED_KEY = re.compile(r"^([a-z]{4,})(key|number)$|^([a-z]{2,})(id)$")


def _joined_key(piece: str) -> str:
    """A lower-case word run into its key word that no header word splits (TPC-H's 'custkey'): two words."""
    found = _JOINED_KEY.match(piece)
    if found is None or piece in ABBREVIATIONS:
        return piece
    if found.group(4):  # 'userid', 'custid': only a known word before 'id' ('valid', 'paid' stay one word)
        head = found.group(3)
        return f"{ABBREVIATIONS.get(head, head)} id" if _known(head) or head == "cust" else piece
    return f"{ABBREVIATIONS.get(found.group(1), found.group(1))} {found.group(2)}"


_HEADER_TEXT = """
account active ad ads address age agent amount app area average balance bank base basket bill billing birth
bonus booking brand budget business buyer call campaign card cart category channel charge check city class
click client close closed code color colour commission company contact content conversion cost count country
coupon created credit currency customer date day deal debit delivery department description device discount
display district domain due each earned email employee end event expense fee first fiscal flag frequency full
gender goal gross group head hour id impression income invoice item key kind label language last lead level
life line list loan location loyalty manager margin market marketing medium member message method mode model
month name net new number offer open order ordered origin page paid partner payment period person phone
plan platform point policy postal post price priority product profit promo promotion purchase purchased
quantity quarter rate rating reach reason record referral region registration rep repeat retail return
returned revenue review sale sales sell seller session share ship shipped shipping shop size sku source spend
stage start state status stock store street sub subscription supplier tax team term territory tier time title
total touch transaction type unit user value vendor view visit visitor volume web week weight year zip
game round rounds player
"""
_HEADER_WORDS = frozenset(_HEADER_TEXT.split())
"""Words a header runs together ('ORDERNUMBER', 'dealsize'): a piece made only of these is
split, a piece that is one of them (or another word) is not."""

_WHOLE_TEXT = ("timestamp headline checkout checkin homepage password newsletter username nationality membership "
               "partnership lifetime weekend weekday birthday daytime worldwide nationwide salesperson subcategory "
               "subcategorie subtotal")
_WHOLE_WORDS = frozenset(_WHOLE_TEXT.split())
"""Words that would split into header words but are one word."""


def _known(word: str) -> bool:
    return word in _HEADER_WORDS or singular(word) in _HEADER_WORDS


def _agent_noun(word: str) -> bool:
    """'shipper', 'sellers', 'buyer': one who does a known thing, one word."""
    stem = singular(word)
    if not stem.endswith("er"):
        return False
    base = stem[:-2]
    return base in _HEADER_WORDS or base + "e" in _HEADER_WORDS or (
        len(base) > 2 and base[-1] == base[-2] and base[:-1] in _HEADER_WORDS)


def run_together(word: str) -> list[str]:
    """``word`` as header words when it is several run together in one case (Kaggle's sample
    sales export: 'ORDERNUMBER', 'PRICEEACH', 'PRODUCTLINE', 'CUSTOMERNAME', 'DEALSIZE'), else
    ``[word]``: only a word of 7 letters or more that is not itself a known word, split into
    the fewest known words of 2 letters or more covering all of it."""
    if len(word) < 7 or not word.isalpha() or _known(word) or _agent_noun(word) \
            or word in _WHOLE_WORDS or singular(word) in _WHOLE_WORDS:
        return [word]
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for start in range(0, end - 1):
            head, piece = best[start], word[start:end]
            if head is not None and _known(piece):
                candidate = [*head, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    found = best[len(word)]
    return found if found is not None and len(found) > 1 else [word]


def raw_words(name: str) -> list[str]:
    """Words as written (no expansion): for the clean name. A Chinese header is its English
    words ('订单编号' → order number), so its clean name reads as the data does."""
    found: list[str] = []
    for part in _SPLIT.split(name):
        translated = _from_chinese(part)
        found += translated if translated is not None else [p.lower() for p in _CAMEL.split(part) if p]
    return found


ZH_HEADER_WORDS: dict[str, str] = {
    # what a Chinese export's header words are in the English words the drafter reads (订单编号 → order number)
    "订单": "order", "编号": "number", "单号": "number", "号码": "number", "号": "number", "流水号": "number", "代码": "code",
    "编码": "code", "日期": "date", "时间": "time", "名称": "name", "名字": "name", "姓名": "full name",
    "客户": "customer", "顾客": "customer", "用户": "user", "会员": "member", "买家": "buyer", "卖家": "seller",
    "商品": "product", "产品": "product", "货品": "product", "宝贝": "product", "品类": "category",
    "类别": "category", "类目": "category", "分类": "category", "类型": "type", "省份": "province",
    "省": "province", "城市": "city", "地区": "region", "区域": "region", "大区": "region", "国家": "country",
    "渠道": "channel", "平台": "platform", "店铺": "store", "门店": "store", "品牌": "brand", "来源": "source",
    "销售额": "sales amount", "销售金额": "sales amount", "成交金额": "sales amount", "营业额": "sales amount",
    "金额": "amount", "实付": "payment", "实付金额": "payment amount", "支付金额": "payment amount",
    "付款金额": "payment amount", "数量": "quantity", "件数": "quantity", "购买数量": "quantity",
    "单价": "unit price", "价格": "price", "售价": "price", "利润": "profit", "毛利": "margin", "成本": "cost",
    "折扣": "discount", "优惠": "discount", "运费": "freight", "退款": "refund", "性别": "gender", "年龄": "age",
    "手机号": "phone", "手机": "phone", "电话": "phone", "邮箱": "email", "地址": "address", "收货": "shipping",
    "昵称": "nickname", "账号": "account", "用户名": "username",
    "状态": "status", "支付": "payment", "付款": "payment", "方式": "method", "下单": "order", "注册": "signup",
    "创建": "created", "明细": "detail", "详情": "detail", "活动": "campaign", "广告": "ad", "曝光": "impressions",
    "展现": "impressions", "展示": "impressions", "点击": "clicks", "花费": "spend", "消耗": "spend",
    "转化": "conversions", "等级": "tier", "积分": "points", "评分": "rating", "评价": "review",
    "门店名称": "store name", "商品名称": "product name", "客户名称": "customer name", "销售": "sales",
    "记录": "record", "交易": "transaction", "报表": "report", "数据": "data", "导出": "export", "表": "table",
    "销量": "units sold", "件": "units", "总": "total", "合计": "total", "总计": "total",
    "客单价": "average order value", "转化率": "conversion rate", "点击率": "click through rate", "率": "rate",
    "均价": "average price", "平均": "average", "人均": "average", "占比": "share", "比例": "share",
    "访客": "visitors", "访客数": "visitors", "浏览量": "page views", "买家数": "buyers",
    "经营": "business", "统计": "stats", "店铺经营数据": "store business data", "加购": "add to cart",
    "收藏": "favorites", "退款金额": "refund amount", "退货": "return", "名单": "list", "列表": "list",
    "消费": "spend", "消费金额": "spend amount", "累计": "total", "注册时间": "signup time",
    # an ad platform's report (淘宝/天猫直通车, 京东快车, 巨量引擎): a plan (计划) is its campaign
    "展现量": "impressions", "曝光量": "impressions", "展示量": "impressions", "展现数": "impressions",
    "点击量": "clicks", "点击数": "clicks", "点击次数": "clicks", "计划名称": "campaign name", "推广计划": "campaign",
    "计划": "campaign", "推广单元": "ad group", "单元名称": "ad group name", "投入产出比": "roas", "投产比": "roas",
    "成交笔数": "orders", "成交订单数": "orders", "订单数": "orders", "平均点击花费": "cost per click",
    "千次展现花费": "cpm", "点击转化率": "conversion rate", "花费金额": "spend",
    # 巨量引擎 / 磁力引擎 / 腾讯广告 reports: counts end in 数, unit costs say 单价 or 费用
    "展示数": "impressions", "展现数量": "impressions", "曝光数": "impressions", "转化数": "conversions",
    "转化成本": "cost per conversion", "平均转化成本": "cost per conversion", "点击单价": "cost per click",
    "平均点击单价": "cost per click", "千次展现费用": "cpm", "平均千次展现费用": "cpm", "千次展示费用": "cpm",
    "平均千次展示费用": "cpm", "推广目的": "objective", "营销目标": "objective", "投放状态": "delivery status",
    "计划状态": "campaign status", "深度转化数": "deep conversions",
    # Google Ads / Microsoft Ads in Chinese
    "广告系列": "campaign", "广告组": "ad group", "展示次数": "impressions", "曝光次数": "impressions",
    "费用": "cost", "转化次数": "conversions", "转化价值": "conversion value", "平均每次点击费用": "cost per click",
    "每次转化费用": "cost per conversion", "天": "day",
    # a site-analytics report (百度统计, 友盟, GA in Chinese)
    "访问次数": "visits", "访问数": "visits", "会话数": "sessions", "会话": "sessions", "跳出率": "bounce rate",
    "平均访问时长": "average visit duration", "访问时长": "visit duration", "时长": "duration",
    "平均会话时长": "average session duration", "新访客数": "new visitors", "着陆页": "landing page",
    "落地页": "landing page", "页面": "page", "来源类型": "source type", "搜索词": "search term",
    # a shop platform's own order export (抖店, 天猫, 京东, 拼多多, 有赞): its name and its words
    "抖店": "douyin", "抖音": "douyin", "天猫": "tmall", "淘宝": "taobao", "京东": "jd", "拼多多": "pdd",
    "快手": "kuaishou", "小红书": "xiaohongshu", "有赞": "youzan", "微店": "weidian", "主订单": "order",
    "子订单": "sub order", "应付": "payable", "应付金额": "payable amount", "选购商品": "product", "达人": "influencer",
    "主播": "influencer", "流量": "traffic", "流量来源": "traffic source", "省市": "province",
    "市": "city", "区": "district", "提交": "submitted", "完成": "completed", "收件人": "recipient", "规格": "spec",
    "商家": "merchant", "详细": "detailed",
    # a Taobao / Tmall seller-centre order export (ExportOrderList)
    "买家会员名": "buyer username", "货款": "goods amount", "邮费": "shipping fee", "实际": "actual",
    "实际支付金额": "payment amount", "种类": "kinds", "留言": "message", "收货人": "recipient",
    "运送方式": "shipping method", "标题": "title", "物流单号": "tracking number", "物流公司": "carrier",
    "关闭原因": "close reason", "是否": "is", "手机订单": "mobile order", "支付单号": "payment number",
    "备注": "note", "联系": "contact",
    # a payment platform's bill (微信支付 / 支付宝 商户账单): who paid, how, and what the platform kept
    "商户": "merchant", "微信": "wechat", "支付宝": "alipay", "标识": "id", "代金券": "voucher", "优惠券": "coupon",
    "手续费": "fee", "银行": "bank", "应结": "settled", "货币": "currency", "公众账号": "official account",
    "特约": "sub", "设备": "device", "充值券": "recharge voucher", "数据包": "attach", "费率": "fee rate",
    "申请": "requested",
}


_RATE_ZH = re.compile(r"(?:率|价|比|均值|占比|比例|指数)$|^(?:平均|人均|单个|每)")


def said_as_rate_zh(name: str) -> bool:
    """A Chinese header that is a rate, a price or an average ('客单价', '支付转化率', '平均停留时长'):
    averaged per row at most, never summed, whether or not its words are known."""
    return bool(_CJK.search(name)) and bool(_RATE_ZH.search(name.strip()))
"""One entry per word an export writes; a header is read only when every one of its words is
here (a header with an unknown word keeps its Chinese, never half a translation)."""
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_LONGEST = max(len(w) for w in ZH_HEADER_WORDS)


def _from_chinese(part: str) -> list[str] | None:
    """A header part with Chinese in it as English words (订单编号 → ['order', 'number'],
    用户ID → ['user', 'id']), longest known word first; None when any piece is unknown."""
    if not _CJK.search(part):
        return None
    found: list[str] = []
    i = 0
    while i < len(part):
        if part[i].isascii():
            j = i
            while j < len(part) and part[j].isascii():
                j += 1
            found += [p.lower() for p in _CAMEL.split(part[i:j]) if p]
            i = j
            continue
        size = next((n for n in range(min(_ZH_LONGEST, len(part) - i), 0, -1) if part[i:i + n] in ZH_HEADER_WORDS),
                    0)
        if not size:
            return None
        found += ZH_HEADER_WORDS[part[i:i + size]].split()
        i += size
    return found


_ZH_GENERIC_TAILS = {"金额", "数量", "数", "额", "时间", "日期", "名称", "编号", "号", "名", "次数", "量", "率", "价格",
                     "方式", "状态", "类型", "总", "合计", "总计", "累计"}


def zh_tail(name: str) -> str | None:
    """The thing a Chinese header is about when words before it say whose it is or how it stands
    ('买家应付邮费' → 邮费, '买家应付货款' → 货款): None when the last word is generic (金额, 数量)
    or the header is one word."""
    stripped = name.strip()
    if not is_chinese(stripped) or _from_chinese(stripped) is None:
        return None
    size = next((n for n in range(min(_ZH_LONGEST, len(stripped) - 1), 1, -1) if stripped[-n:] in ZH_HEADER_WORDS), 0)
    tail = stripped[-size:] if size else ""
    return tail if tail and tail not in _ZH_GENERIC_TAILS and len(tail) < len(stripped) else None


def clean_name(name: str) -> str:
    """A model name: lower-case letters, digits and '_', starting with a letter."""
    joined = "_".join(raw_words(name)) or "field"
    joined = re.sub(r"[^a-z0-9_]", "", joined) or "field"
    return (joined if joined[0].isalpha() else f"n_{joined}")[:63]


def is_id_like(name: str) -> bool:
    """Ends in an identifier word ('Policy Number', 'invoice_no', 'StockCode', 'id')."""
    found = words(name)
    return bool(found) and (found[-1] in _ID_WORDS or (found[-1].endswith("id") and len(found[-1]) <= 4
                                                       and found[-1] not in _ID_LOOKALIKES))


_ID_LOOKALIKES = {"paid", "void", "grid", "said", "laid", "raid", "maid", "acid", "amid", "avid"}
"""Words ending in 'id' that are no identifier (TPC-DS's 'ss_net_paid' is an amount)."""


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")) or (word.endswith("uses") and len(word) > 4 and word[-5] not in "aeiou"):
        return word[:-2]  # addresses, boxes, bonuses, statuses
    if word.endswith("ses"):
        return word[:-1]  # purchases, cases, responses, expenses, houses (a -se noun)
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("es") and not word.endswith(("sses", "xes")) and len(word) > 3:
        return word  # already plural: 'sales', 'series', 'types'
    if not word.isascii():
        return word  # a Chinese word has no plural
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def label_en(parts: list[str]) -> str:
    text = " ".join(parts).strip()
    return text[:1].upper() + text[1:] if text else text


def label_zh(parts: list[str]) -> str:
    """Chinese for a list of English words, longest glossary phrase first; 'X per Y' is
    '每Y的X' word order ('revenue per buyer' → 每买家收入)."""
    if "per" in parts[1:-1]:
        cut = parts.index("per")
        return "每" + label_zh(parts[cut + 1:]) + label_zh(parts[:cut])
    if len(parts) > 1 and parts[-1] == "total" and " ".join(parts) not in GLOSSARY:
        return label_zh(parts[:-1]) + "总额"  # 'purchase total', 'order total': 购买总额, not 购买总
    out: list[str] = []
    i = 0
    while i < len(parts):
        for size in (3, 2, 1):
            phrase = " ".join(parts[i:i + size])
            if size <= len(parts) - i and phrase in GLOSSARY:
                out.append(GLOSSARY[phrase][0])
                i += size
                break
            if size == 1:
                word = parts[i]
                entry = GLOSSARY.get(singular(word))
                out.append(entry[0] if entry else word)
                i += 1
    text = ""
    for piece in out:  # Chinese pieces join without spaces; English words keep theirs
        if piece and not piece.isascii() and text.endswith(piece):
            continue  # 'shipper company': 物流公司, not 物流公司公司
        if text and (piece[:1].isascii() or text[-1:].isascii()) and piece:
            text += " "
        text += piece
    return text.strip()


def glossary_synonyms(parts: list[str]) -> list[str]:
    """Extra words the glossary knows for the phrase (and its last word when it is a unit)."""
    found: list[str] = []
    phrase = " ".join(parts)
    if phrase in GLOSSARY:
        found += GLOSSARY[phrase][1]
    elif len(parts) > 1 and parts[-1] in GLOSSARY:  # "product category": 品类, 类目 name it too
        found += GLOSSARY[parts[-1]][1]
    if len(parts) == 2 and all(_zh_words(p) for p in parts):  # and 商品类目, 产品品类: each word said its ways
        label = label_zh(parts)
        found += [f"{a}{b}" for a in _zh_words(parts[0]) for b in _zh_words(parts[1]) if f"{a}{b}" != label]
    return found


def _zh_words(word: str) -> list[str]:
    """The Chinese words for one English word: the glossary's, its other words, and the header
    words read as it (商品, 产品 and 货品 are all 'product')."""
    entry = GLOSSARY.get(word)
    if entry is None:
        return []
    said = [entry[0], *(w for w in entry[1] if len(w) >= 2 and not w.isascii())]
    said += [zh for zh, en in ZH_HEADER_WORDS.items() if en == word and len(zh) >= 2]
    return list(dict.fromkeys(said))


def count_label_zh(entity_words: list[str]) -> str:
    """'客户数' for customers, '保单数' for policies; else '<zh>数量'."""
    zh = label_zh([singular(w) for w in entity_words])
    return _PLURAL_ZH.get(zh, f"{zh}数" if zh and not zh[-1:].isascii() else f"{zh} 数量")


def count_words_zh(label: str) -> list[str]:
    """The ways a Chinese count label is asked: '客户数' as 客户数量, 客户总数 and 客户; 'track 数量'
    as track 总数 and track (never '数量数量')."""
    stem = label.removesuffix("数量").removesuffix("数").rstrip()
    if not stem:
        return []
    if stem[-1:].isascii():  # 'track 数量': the bare English stem is no Chinese word (and names the dimension)
        return [w for w in (f"{stem} 数量", f"{stem} 总数") if w != label]
    found = [w for w in (f"{stem}数量", f"{stem}总数", stem) if w != label]
    if stem.endswith("笔") and len(stem) > 2:  # '交易笔数' is also asked as 交易总数, 交易数量
        bare = stem.removesuffix("笔")
        found += [f"{bare}数量", f"{bare}总数", f"{bare}数", bare]  # "多少笔交易": 交易
    return found


def strip_table_prefix(parts: list[str]) -> list[str]:
    """'fact_sales' → ['sales'], 'dim_product' → ['product'] (star-schema prefixes)."""
    if len(parts) > 1 and parts[0] in ("fact", "dim", "fct", "d", "f", "tbl", "t", "stg"):
        return parts[1:]
    return parts


VALUE_ZH: dict[str, str] = {
    "closed won": "赢单", "closed lost": "输单",
    # an event log's event types (REES46, GA4 exports)
    "view": "浏览", "page_view": "浏览", "cart": "加购", "add_to_cart": "加购", "remove_from_cart": "移出购物车",
    "purchase": "购买", "click": "点击", "begin_checkout": "开始结账", "checkout": "结账",
    "pv": "浏览", "fav": "收藏", "buy": "购买", "favorite": "收藏",  # Taobao's behavior_type
    "new_visitor": "新访客", "returning_visitor": "老访客", "new visitor": "新访客", "returning visitor": "老访客",
    # countries (retail exports name them in English)
    "united kingdom": "英国", "uk": "英国", "germany": "德国", "france": "法国", "eire": "爱尔兰",
    "ireland": "爱尔兰", "spain": "西班牙", "netherlands": "荷兰", "belgium": "比利时", "switzerland": "瑞士",
    "portugal": "葡萄牙", "australia": "澳大利亚", "italy": "意大利", "norway": "挪威", "sweden": "瑞典",
    "denmark": "丹麦", "finland": "芬兰", "japan": "日本", "usa": "美国", "united states": "美国",
    "china": "中国", "canada": "加拿大", "austria": "奥地利", "poland": "波兰", "israel": "以色列",
    "greece": "希腊", "singapore": "新加坡", "iceland": "冰岛", "cyprus": "塞浦路斯",
    "channel islands": "海峡群岛", "lithuania": "立陶宛", "brazil": "巴西", "czech republic": "捷克",
    "malta": "马耳他", "lebanon": "黎巴嫩", "rsa": "南非", "south africa": "南非", "saudi arabia": "沙特阿拉伯",
    "united arab emirates": "阿联酋", "bahrain": "巴林", "european community": "欧洲共同体",
    "hong kong": "香港", "korea": "韩国", "india": "印度", "mexico": "墨西哥", "russia": "俄罗斯",
    "unspecified": "未指定", "new zealand": "新西兰", "luxembourg": "卢森堡", "turkey": "土耳其",
    # common statuses and categories
    "active": "有效", "inactive": "无效", "cancelled": "已取消", "canceled": "已取消", "lapsed": "失效",
    "expired": "已过期", "open": "未结", "closed": "已结", "approved": "已批准", "rejected": "已拒绝",
    "denied": "已拒绝", "paid": "已支付", "unpaid": "未支付", "pending": "待处理", "completed": "已完成",
    "shipped": "已发货", "delivered": "已送达", "returned": "已退货", "refunded": "已退款",
    "male": "男", "female": "女", "m": "男", "f": "女",
    "married": "已婚", "single": "单身", "divorced": "离异", "widow": "丧偶", "widowed": "丧偶",
    "retired": "退休人员", "student": "学生", "unemployed": "无业", "fiber optic": "光纤",
    "email": "邮件", "sms": "短信", "push": "推送",
    "online": "线上", "offline": "线下", "monthly": "按月", "quarterly": "按季度", "annual": "按年",
    "annually": "按年", "north": "北部", "south": "南部", "east": "东部", "west": "西部", "central": "中部",
    "high": "高", "medium": "中", "low": "低", "new": "新", "gold": "金卡", "silver": "银卡", "bronze": "铜卡",
    "auto": "车险", "home": "家财险", "life": "寿险", "health": "健康险", "travel": "旅行险",
}
"""Chinese for frequent warehouse values, so '英国的销售额' finds 'United Kingdom'."""


def value_zh(value: object) -> str | None:
    return VALUE_ZH.get(str(value).strip().lower())


VALUE_EN: dict[str, list[str]] = {
    "united kingdom": ["uk", "u.k.", "britain", "great britain"], "united states": ["us", "usa", "u.s.", "america"],
    "usa": ["us", "united states", "america"], "united arab emirates": ["uae"], "eire": ["ireland"],
    "rsa": ["south africa"],
    "closed won": ["won", "win", "wins", "won deals", "closed-won", "赢单", "赢得"],
    "view": ["views", "viewed", "page views", "product views", "浏览量"],
    "page_view": ["page views", "views", "pageviews", "浏览量"],
    "cart": ["add to cart", "added to cart", "add-to-cart", "add to carts", "adds to cart", "carts", "加入购物车"],
    "add_to_cart": ["add to cart", "added to cart", "add-to-cart", "add to carts", "adds to cart", "加入购物车"],
    "remove_from_cart": ["removed from cart", "remove from cart", "removes from cart", "cart removals"],
    "purchase": ["purchases", "purchased", "bought"],
    "new_visitor": ["new visitors", "new visitor", "new users", "新用户", "新访客"],
    "returning_visitor": ["returning visitors", "returning visitor", "returning users", "回访用户", "回访访客", "老用户"],
    "pv": ["page views", "views", "pageviews", "viewed", "浏览量", "浏览"], "buy": ["purchases", "purchased", "bought"],
    "addtocart": ["add to cart", "added to cart", "add-to-cart", "add to carts", "adds to cart", "carts", "加入购物车",
                  "加购", "加购次数"],  # RetailRocket's events.csv
    "transaction": ["purchases", "purchased", "bought", "made a purchase"],
    # a Taobao / Tmall order export's 订单状态, said in English
    "交易关闭": ["closed", "closed orders"], "交易成功": ["completed", "successful", "complete"],
    "等待买家付款": ["awaiting payment", "unpaid", "pending payment"],
    "fav": ["favorites", "favourites", "favorited", "faves", "收藏", "收藏量"],
    "favorite": ["favorites", "favourites", "favorited", "收藏", "收藏量"],
    # a loyalty ledger's kinds of entry: what a marketer says of the points
    "earn": ["earned", "earning", "earns", "accrued", "获得", "赚取"], "earned": ["earn", "earning", "accrued", "获得"],
    "accrual": ["earned", "accrued", "accruals"], "accrue": ["earned", "accrued"],
    "redeem": ["redeemed", "redemption", "redemptions", "redeems", "兑换", "已兑换"],
    "redeemed": ["redeem", "redemption", "redemptions", "兑换", "已兑换"],
    "redemption": ["redeemed", "redeem", "redemptions", "兑换"],
    "expire": ["expired", "expiry", "expiration", "expirations", "过期", "已过期"],
    "expired": ["expire", "expiry", "expiration", "expirations", "过期", "已过期"],
    "expiry": ["expired", "expiration", "expirations", "过期"],
    "closed lost": ["lost", "loss", "losses", "lost deals", "closed-lost", "输单", "丢单"], "netherlands": ["holland", "the netherlands"], "czech republic": ["czechia"],
}
"""Other English names of frequent warehouse values ("excluding the UK" finds 'United Kingdom')."""


def value_synonyms(value: object) -> list[str]:
    return VALUE_EN.get(str(value).strip().lower(), [])


def is_chinese(name: str) -> bool:
    """Every letter of the name a Chinese character ('计划名称', not '用户ID')."""
    return bool(name) and all(_CJK.match(ch) for ch in name)
