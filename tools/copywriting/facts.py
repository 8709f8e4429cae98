"""What the data says about an audience, computed before any copy is written.

``audience_facts`` aggregates in SQL through semantic roles (optional roles just leave a
fact out): size, buyers, AOV, median days since the last order, top categories and
products, preferred sales channel (where they order), the marketing channel they engage
with (clicks and opens), device, city tier, city and loyalty-tier mix. An audience without
orders gets the brand-wide categories and products, marked ``scope="all customers"``.

``FactView`` words those facts for one language — the strings copy is written from — and
``surfaces`` lists, per fact, the strings whose presence in a variant shows it was used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

from ..audience_sql import PLACEHOLDER, AudienceSQL
from ..base import ToolError
from ..roles import RoleSource

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

TOP = 3
DOMINANT_SHARE = 0.6
"""A customer attribute is spoken of ("dear Platinum member") only when this share has it."""

# value -> (English, Chinese) for the words copy uses; unknown values are shown as they are.
LABELS: dict[str, tuple[str, str]] = {
    "skincare": ("skincare", "护肤"), "makeup": ("makeup", "彩妆"), "haircare": ("haircare", "洗护发"),
    "fragrance": ("fragrance", "香氛"), "bodycare": ("body care", "身体护理"),
    "supplements": ("supplements", "营养补充"),
    "online_store": ("our online store", "官网商城"), "app": ("the app", "App"),
    "mini_program": ("our mini program", "小程序"), "offline_store": ("your nearest store", "门店"),
    "tmall": ("our Tmall store", "天猫旗舰店"), "jd": ("our JD.com store", "京东旗舰店"),
    "email": ("email", "邮件"), "sms": ("SMS", "短信"), "wechat": ("WeChat", "微信"),
    "douyin": ("Douyin", "抖音"), "xiaohongshu": ("Xiaohongshu", "小红书"), "search": ("search", "搜索"),
    "display": ("display ads", "展示广告"), "app_push": ("app push", "App推送"),
    "ios": ("iPhone", "iPhone"), "android": ("Android", "安卓"), "desktop": ("desktop", "电脑"),
    "mobile_web": ("mobile web", "手机网页"),
    "tier1": ("tier-1 cities", "一线城市"), "tier2": ("tier-2 cities", "二线城市"),
    "tier3": ("tier-3 cities", "三线城市"),
    "platinum": ("Platinum member", "铂金会员"), "gold": ("Gold member", "金卡会员"),
    "silver": ("Silver member", "银卡会员"),
    "Shanghai": ("Shanghai", "上海"), "Beijing": ("Beijing", "北京"), "Guangzhou": ("Guangzhou", "广州"),
    "Shenzhen": ("Shenzhen", "深圳"), "Hangzhou": ("Hangzhou", "杭州"), "Chengdu": ("Chengdu", "成都"),
    "Wuhan": ("Wuhan", "武汉"), "Nanjing": ("Nanjing", "南京"), "Chongqing": ("Chongqing", "重庆"),
    "Suzhou": ("Suzhou", "苏州"), "Tianjin": ("Tianjin", "天津"), "Xi'an": ("Xi'an", "西安"),
}
NO_TIER = {"none", "no", "non-member", "", "null"}
# Chinese product words -> words a catalogue in English names the same products with.
PRODUCT_WORDS: dict[str, tuple[str, ...]] = {
    "面霜": ("face cream", "night cream", "day cream", "moisturiser", "moisturizer", "barrier cream",
             "retinol cream"), "晚霜": ("night cream",), "日霜": ("day moisturiser",),
    "眼霜": ("eye cream",), "精华": ("serum", "essence"), "面膜": ("mask",), "防晒": ("sunscreen", "spf"),
    "洁面": ("cleansing",), "洗面奶": ("cleansing",), "卸妆": ("cleansing oil", "makeup remover", "micellar"),
    "爽肤水": ("toner",), "化妆水": ("toner",), "口红": ("lipstick",), "唇釉": ("lip glaze",),
    "粉底": ("foundation",), "气垫": ("cushion",), "眼影": ("eyeshadow",), "睫毛膏": ("mascara",),
    "香水": ("parfum", "perfume", "eau de"), "洗发水": ("shampoo",), "护发素": ("conditioner",),
    "发膜": ("hair mask",), "身体乳": ("body lotion",), "沐浴露": ("shower gel", "body wash"),
    "护手霜": ("hand cream",),
}
_SIZE = re.compile(r"\s+(?:\d+(?:\.\d+)?\s?(?:ml|g|pcs|oz)|spf\s?\d+)\b.*$", re.IGNORECASE)

_BUYERS_SQL = """
SELECT CAST(NULL AS VARCHAR) AS key, COUNT(*) AS n1, SUM(orders) AS n2, COALESCE(SUM(revenue), 0) AS n3,
       MEDIAN(DATE_DIFF('day', last_date, :as_of)) AS n4
FROM (SELECT {o_cust} AS customer_id, COUNT(*) AS orders, SUM(CAST({o_rev} AS DOUBLE)) AS revenue,
             MAX(CAST({o_time} AS DATE)) AS last_date
      FROM {T_o}<AUDIENCE o_cust> WHERE {o_time} < :until AND {o_cust} IS NOT NULL GROUP BY 1) AS c"""
_CUSTOMERS_SQL = "SELECT CAST(NULL AS VARCHAR) AS key, COUNT(*) AS n1 FROM {T_c}"
_AUDIENCE_SIZE_SQL = "SELECT CAST(NULL AS VARCHAR) AS key, COUNT(*) AS n1 FROM audience"
_BASKET_SQL = """
SELECT {o_cust} AS customer_id, <COLUMNS>CAST({i_qty} AS DOUBLE) * CAST({i_price} AS DOUBLE) AS spend,
       CAST({i_price} AS DOUBLE) AS price
FROM {T_i} JOIN {T_o} ON {o_id} = {i_order} JOIN {T_p} ON {p_id} = {i_prod}<AUDIENCE o_cust>
WHERE {o_time} < :until"""
"""The audience's order lines with their product: joined once, read by the category and
the product facts (``basket``)."""
_BASKET_COLUMNS = {"p_cat": "category", "p_name": "product"}
"""Basket column -> its name in ``basket`` (a slot only the category or the product fact has)."""
_CATEGORY_SQL = """
SELECT category AS key, SUM(spend) AS n1, COUNT(DISTINCT customer_id) AS n2 FROM basket GROUP BY 1"""
_PRODUCT_SQL = """
SELECT product AS key, COUNT(DISTINCT customer_id) AS n1, MIN(price) AS n2
FROM basket GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"""
_ORDER_MIX_SQL = """
SELECT CAST({o_key} AS VARCHAR) AS key, COUNT(*) AS n1 FROM {T_o}<AUDIENCE o_cust>
WHERE {o_time} < :until GROUP BY 1"""
_TOUCH_SQL = """
SELECT CAST({t_chan} AS VARCHAR) AS key, COUNT(*) AS n1 FROM {T_t}<AUDIENCE t_cust>
WHERE {t_time} < :until <ENGAGED> GROUP BY 1"""
_DEVICE_SQL = """
SELECT CAST({e_dev} AS VARCHAR) AS key, COUNT(DISTINCT {e_sess}) AS n1 FROM {T_e}<AUDIENCE e_cust>
WHERE {e_time} < :until GROUP BY 1"""
_ATTRIBUTE_SQL = """
SELECT CAST({<ATTR>} AS VARCHAR) AS key, COUNT(*) AS n1 FROM {T_c}<AUDIENCE c_id> GROUP BY 1"""
_COLUMNS = ("n1", "n2", "n3", "n4")
_CATALOGUE_SQL = """
SELECT CAST({p_name} AS VARCHAR) AS name, CAST({p_cat} AS VARCHAR) AS category FROM {T_p} LIMIT 20000"""

ORDER_SLOTS = {"T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time"}
ITEM_SLOTS = ORDER_SLOTS | {
    "T_i": "order_item_entity", "T_p": "product_entity", "o_id": "order_id",
    "i_order": "order_item_order", "i_prod": "order_item_product", "i_qty": "order_item_quantity",
    "i_price": "order_item_price", "p_id": "product_id",
}


@dataclass(frozen=True)
class AudienceFacts:
    """Numbers about one audience (raw values; ``FactView`` words them)."""

    as_of: date
    customers: int
    buyers: int = 0
    orders: int = 0
    revenue: float = 0.0
    aov: float | None = None
    median_recency_days: int | None = None
    orders_per_buyer: float | None = None
    top_categories: tuple[tuple[str, float], ...] = ()
    """(category, share of item spend)."""
    category_buyers: dict[str, float] = field(default_factory=dict)
    """Category -> share of the audience's buyers who bought it."""
    top_products: tuple[tuple[str, int, float], ...] = ()
    """(product, buyers, lowest unit price paid)."""
    scope: str = "audience"
    """"audience", or "all customers" when the audience has no orders to learn from."""
    sales_channels: tuple[tuple[str, float], ...] = ()
    touch_channels: tuple[tuple[str, float], ...] = ()
    devices: tuple[tuple[str, float], ...] = ()
    city_tiers: tuple[tuple[str, float], ...] = ()
    cities: tuple[tuple[str, float], ...] = ()
    loyalty_tiers: tuple[tuple[str, float], ...] = ()
    product_category: str | None = None
    """The catalogue category of the product the copy is about, when it could be matched."""

    def summary(self) -> dict[str, Any]:
        """JSON-able facts for the result and the narrative."""
        def mix(pairs: tuple[tuple[str, float], ...]) -> dict[str, float]:
            return {k: round(v, 3) for k, v in pairs[:TOP]}

        return {
            "as_of": self.as_of.isoformat(), "customers": self.customers, "buyers": self.buyers,
            "aov": round(self.aov, 2) if self.aov is not None else None,
            "median_recency_days": self.median_recency_days,
            "orders_per_buyer": round(self.orders_per_buyer, 2) if self.orders_per_buyer else None,
            "top_categories": mix(self.top_categories),
            "top_products": [p for p, _, _ in self.top_products[:TOP]],
            "scope": self.scope,
            "sales_channels": mix(self.sales_channels), "engaged_channels": mix(self.touch_channels),
            "devices": mix(self.devices), "city_tiers": mix(self.city_tiers),
            "loyalty_tiers": mix(self.loyalty_tiers),
            "product_category": self.product_category,
            "product_category_buyer_share": round(self.category_buyers.get(self.product_category or "", 0.0), 3)
            if self.product_category else None,
        }


# --- computing ---------------------------------------------------------------------------------


def audience_facts(
    source: RoleSource, audience: AudienceSQL | None, as_of: date, product: str | None = None
) -> AudienceFacts:
    """Facts about the customers of ``audience`` (None = every customer) as of ``as_of``, in
    one statement: the audience is computed once (materialised) and every fact reads it."""
    source.same_table("order_customer", "order_time", "order_revenue")
    found = _run_parts(source, _parts(source, audience is not None), audience, as_of)
    summary = found["buyers"]
    buyers = int(summary["n1"].iloc[0])
    orders = int(summary["n2"].iloc[0] or 0) if buyers else 0
    revenue = float(summary["n3"].iloc[0] or 0.0) if buyers else 0.0
    recency = summary["n4"].iloc[0] if buyers else None
    facts: dict[str, Any] = {
        "as_of": as_of, "customers": int(found["customers"]["n1"].iloc[0]), "buyers": buyers,
        "orders": orders, "revenue": revenue, "aov": revenue / orders if orders else None,
        "median_recency_days": int(recency) if recency is not None and not pd.isna(recency) else None,
        "orders_per_buyer": orders / buyers if buyers else None,
    }
    scope_buyers = buyers
    if not buyers:  # nothing to learn baskets from: the brand-wide ones, marked as such
        facts["scope"] = "all customers"
        wanted = [p for p in _parts(source, False) if p[0] in ("buyers", "categories", "products")]
        everyone = _run_parts(source, wanted, None, as_of)
        scope_buyers = int(everyone["buyers"]["n1"].iloc[0])
        found = {**found, **{k: v for k, v in everyone.items() if k in ("categories", "products")}}
    facts |= _baskets(found, scope_buyers or 1)
    facts |= _mixes(found)
    if product:
        facts["product_category"] = match_category(source, product)
    return AudienceFacts(**facts)


Part = tuple[str, str, dict[str, str]]
"""(name, SELECT of key and n1..n4 with ``<AUDIENCE slot>`` markers, role slots)."""


def _parts(source: RoleSource, audience: bool) -> list[Part]:
    """Every fact query the model's roles allow."""
    parts: list[Part] = [("buyers", _BUYERS_SQL, dict(ORDER_SLOTS, o_rev="order_revenue")),
                         ("customers", _AUDIENCE_SIZE_SQL if audience else _CUSTOMERS_SQL,
                          {} if audience else {"T_c": "customer_entity"})]
    baskets = ("order_item_order", "order_item_product", "order_item_quantity", "order_item_price",
               "product_id", "order_id")
    if all(source.has(r) for r in baskets):
        if source.has("product_category"):
            parts.append(("categories", _CATEGORY_SQL, ITEM_SLOTS | {"p_cat": "product_category"}))
        if source.has("product_name"):
            parts.append(("products", _PRODUCT_SQL, ITEM_SLOTS | {"p_name": "product_name"}))
    if source.has("order_sales_channel"):
        parts.append(("sales_channels", _ORDER_MIX_SQL, ORDER_SLOTS | {"o_key": "order_sales_channel"}))
    if all(source.has(r) for r in ("touchpoint_customer", "touchpoint_channel", "touchpoint_time")):
        slots = {"T_t": "touchpoint_entity", "t_cust": "touchpoint_customer",
                 "t_chan": "touchpoint_channel", "t_time": "touchpoint_time"}
        engaged = ""
        if source.has("touchpoint_type"):  # clicks and opens, not mere impressions
            slots["t_type"] = "touchpoint_type"
            engaged = "AND LOWER(CAST({t_type} AS VARCHAR)) <> 'impression'"
        parts.append(("touch_channels", _TOUCH_SQL.replace("<ENGAGED>", engaged), slots))
    if all(source.has(r) for r in ("event_customer", "event_device", "event_session", "event_time")):
        parts.append(("devices", _DEVICE_SQL, {"T_e": "event_entity", "e_cust": "event_customer",
                                               "e_dev": "event_device", "e_sess": "event_session",
                                               "e_time": "event_time"}))
    for i, (role, name) in enumerate((("customer_city_tier", "city_tiers"), ("customer_city", "cities"),
                                      ("customer_loyalty_tier", "loyalty_tiers"))):
        if source.has(role):
            parts.append((name, _ATTRIBUTE_SQL.replace("<ATTR>", f"c_attr{i}"),
                          {"T_c": "customer_entity", "c_id": "customer_id", f"c_attr{i}": role}))
    return parts


_MARKER = re.compile(r"<AUDIENCE (\w+)>")
"""Where a part's rows are narrowed to the audience: an inner join on its distinct ids (the
same rows as ``IN (SELECT ...)``; DuckDB joins 28M events to them in ~25% less CPU than it
runs the semi join)."""


def _run_parts(source: RoleSource, parts: list[Part], audience: AudienceSQL | None, as_of: date) -> dict[str, pd.DataFrame]:
    """All ``parts`` as one UNION ALL statement; each part's rows by its name."""
    def scoped(body: str) -> str:
        return _MARKER.sub(lambda m: f" JOIN audience AS aud_ ON aud_.customer_id = {{{m[1]}}}" if audience else "",
                           body)

    selects = []
    for name, body, _ in parts:
        columns = ", ".join(f"CAST({c} AS DOUBLE) AS {c}" if c in _columns(body) else f"CAST(NULL AS DOUBLE) AS {c}"
                            for c in _COLUMNS)
        selects.append(f"SELECT '{name}' AS part, CAST(key AS VARCHAR) AS key, {columns} FROM ({scoped(body)}) AS q_{name}")
    slots: dict[str, str] = {}
    for _, _, part_slots in parts:
        slots |= part_slots
    values: dict[str, Any] = {"until": as_of + timedelta(days=1), "as_of": as_of}
    ctes: list[str] = []
    if audience is not None:
        ctes.append(f"audience AS MATERIALIZED (SELECT DISTINCT customer_id FROM {PLACEHOLDER} AS a)")
        values[PLACEHOLDER] = audience.tree(source)
    basket = [slot for slot in _BASKET_COLUMNS if slot in slots]  # the category and product parts' columns
    if basket:
        columns = "".join(f"CAST({{{slot}}} AS VARCHAR) AS {_BASKET_COLUMNS[slot]}, " for slot in basket)
        ctes.append(f"basket AS MATERIALIZED ({scoped(_BASKET_SQL.replace('<COLUMNS>', columns))})")
    head = f"WITH {', '.join(ctes)}\n" if ctes else ""
    frame = source.query(head + "\nUNION ALL\n".join(selects), slots, **values)
    return {name: frame[frame["part"] == name].reset_index(drop=True) for name, _, _ in parts}


def _columns(body: str) -> set[str]:
    return set(re.findall(r"\bAS (n[1-4])\b", body))


def _shares(frame: pd.DataFrame | None, column: str = "n1") -> tuple[tuple[str, float], ...]:
    if frame is None:
        return ()
    frame = frame.dropna(subset=["key"])
    total = float(frame[column].sum())
    if frame.empty or total <= 0:
        return ()
    ordered = frame.sort_values([column, "key"], ascending=[False, True])
    return tuple((str(k), float(v) / total) for k, v in zip(ordered["key"], ordered[column], strict=True))


def _baskets(found: dict[str, pd.DataFrame], scope_buyers: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "categories" in found:
        frame = found["categories"]
        out["top_categories"] = _shares(frame)[:TOP]
        out["category_buyers"] = {str(k): float(b) / scope_buyers
                                  for k, b in zip(frame["key"], frame["n2"], strict=True)}
    if "products" in found:
        frame = found["products"].sort_values(["n1", "key"], ascending=[False, True])
        out["top_products"] = tuple((str(n), int(b), float(p)) for n, b, p in
                                    zip(frame["key"], frame["n1"], frame["n2"], strict=True))[:TOP]
    return out


def _mixes(found: dict[str, pd.DataFrame]) -> dict[str, Any]:
    return {name: _shares(found[name]) for name in ("sales_channels", "touch_channels", "devices", "city_tiers",
                                                     "cities", "loyalty_tiers") if name in found}


def match_category(source: RoleSource, product: str) -> str | None:
    """The catalogue category a product phrase ("新品面霜", "night cream") belongs to."""
    if not (source.has("product_name") and source.has("product_category")):
        return None
    catalogue = source.query(_CATALOGUE_SQL, {"T_p": "product_entity", "p_name": "product_name",
                                              "p_cat": "product_category"})
    wanted = product.strip().lower()
    words = [wanted] + [w for zh, ws in PRODUCT_WORDS.items() if zh in product for w in ws]
    for category in catalogue["category"].dropna().unique():
        labels = {str(category).lower(), *(s.lower() for s in LABELS.get(str(category), ()))}
        if any(label and label in wanted for label in labels):
            return str(category)
    names = catalogue["name"].fillna("").str.lower()
    for word in words:
        hits = catalogue[names.str.contains(word, regex=False)] if word else catalogue.iloc[0:0]
        if not hits.empty:
            return str(hits["category"].mode().iloc[0])
    return None


# --- wording -----------------------------------------------------------------------------------


def label(value: str | None, language: str) -> str | None:
    if value is None:
        return None
    pair = LABELS.get(value)
    return (pair[1] if language == "zh" else pair[0]) if pair else value


_LOWER_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


def short_product(name: str) -> str:
    """"Lumière Night Cream 50g" -> "Lumière Night Cream"; a catalogue's capitals ("BOX OF 6
    ASSORTED COLOUR TEASPOONS", UCI's descriptions) in the case a customer reads."""
    short = _SIZE.sub("", name).strip() or name
    if short.isupper() and sum(ch.isalpha() for ch in short) > 3:
        words = short.lower().split(" ")
        short = " ".join(w if i and w in _LOWER_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return short


class FactView:
    """The audience's facts worded for copy in one language; missing facts are None."""

    def __init__(self, facts: AudienceFacts, language: str, currency: str | None = "¥") -> None:
        self.facts = facts
        self.language = language
        self.currency = currency
        """The model's money symbol (None: plain numbers); the demo's is ¥."""
        zh = language == "zh"
        cats = facts.top_categories
        self.category = label(cats[0][0], language) if cats else None
        self.category2 = label(cats[1][0], language) if len(cats) > 1 else None
        products = facts.top_products
        self.product = short_product(products[0][0]) if products else None
        self.aov = f"{currency or ''}{facts.aov:,.0f}" if facts.aov else None
        days = facts.median_recency_days
        self.recency = None if days is None or days < 14 else (
            (f"{days}天" if zh else f"{days} days") if days < 60 else
            (f"{round(days / 30)}个月" if zh else f"{round(days / 30)} months"))
        self.shop_key = facts.sales_channels[0][0] if facts.sales_channels else None
        self.shop = label(self.shop_key, language)
        self.engaged = label(facts.touch_channels[0][0], language) if facts.touch_channels else None
        self.device = label(facts.devices[0][0], language) if facts.devices else None
        self.tier = _dominant(facts.city_tiers, language)
        self.city = _dominant(facts.cities, language)
        loyalty = facts.loyalty_tiers[0] if facts.loyalty_tiers else None
        dominant = loyalty is not None and loyalty[1] >= DOMINANT_SHARE and loyalty[0].lower() not in NO_TIER
        self.loyalty = label(loyalty[0], language) if loyalty and dominant else None
        self.benefit = member_benefit(loyalty[0], language) if loyalty and dominant else None
        self.product_category = label(facts.product_category, language)
        self.bestseller = facts.scope != "audience"

    def surfaces(self) -> dict[str, list[str]]:
        """Fact key -> strings whose presence in copy shows the fact was used."""
        f = self.facts
        out: dict[str, list[str]] = {}

        def add(key: str, *texts: str | None) -> None:
            found = [t for t in texts if t]
            if found:
                out[key] = found

        add("top_category", self.category)
        add("second_category", self.category2)
        add("top_product", self.product)
        add("aov", self.aov, f"{f.aov:,.0f}元" if f.aov and self.currency in ("¥", "￥") else None)
        add("recency", self.recency, *(_recency_words(f.median_recency_days, self.language)))
        add("sales_channel", self.shop)
        add("engaged_channel", self.engaged)
        add("device", self.device)
        add("city_tier", self.tier)
        add("city", self.city)
        add("loyalty_tier", self.loyalty)
        add("member_benefit", self.benefit)
        add("product_category", self.product_category)
        return out

    def for_prompt(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """The worded facts a writer may use (non-empty ones only), named in the view's language;
        ``keys`` (fact keys as in ``surfaces``) keeps only those."""
        wanted = None if keys is None else set(keys)
        column = 1 if self.language == "zh" else 0
        return {names[column]: str(getattr(self, attr)) for attr, (key, *names) in FACT_NAMES.items()
                if getattr(self, attr) and (wanted is None or key in wanted)}


FACT_NAMES: dict[str, tuple[str, str, str]] = {
    # view attribute: (fact key, English name, Chinese name)
    "category": ("top_category", "top category", "主要品类"),
    "category2": ("second_category", "second category", "第二品类"),
    "product": ("top_product", "top product", "热门商品"),
    "aov": ("aov", "average order value", "客单价"),
    "recency": ("recency", "typical time since last order", "距上次下单"),
    "shop": ("sales_channel", "where they usually buy", "常用购买渠道"),
    "engaged": ("engaged_channel", "channel they engage with most", "互动最多的渠道"),
    "device": ("device", "main device", "主要设备"),
    "tier": ("city_tier", "city tier", "城市等级"),
    "city": ("city", "city", "城市"),
    "loyalty": ("loyalty_tier", "membership tier", "会员等级"),
    "benefit": ("member_benefit", "member benefit of that tier", "该等级的会员权益"),
    "product_category": ("product_category", "category of the featured product", "主推商品所属品类"),
}


def member_benefit(tier: str, language: str) -> str | None:
    """The benefit the brand's programme gives ``tier`` (``prompts/copy/benefits.yaml``, or the
    file ``GENBI_BENEFITS`` names); None when the programme names none."""
    found = _benefits().get(tier.strip().lower())
    if not isinstance(found, dict):
        return None
    text = found.get("zh" if language == "zh" else "en")
    return str(text).strip() or None if text else None


@lru_cache(maxsize=4)
def _benefits_from(path: str | None) -> dict[str, Any]:
    import yaml

    from genbi import safe_yaml

    try:
        text = Path(path).read_text("utf-8") if path else \
            files("genbi.prompts.copy").joinpath("benefits.yaml").read_text("utf-8")
        loaded = safe_yaml.load(text)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise ToolError(f"The member benefits file {path or 'benefits.yaml'} cannot be read ({error}).",
                        "Fix the file or unset GENBI_BENEFITS.") from None
    return {str(k).lower(): v for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def _benefits() -> dict[str, Any]:
    return _benefits_from(os.environ.get("GENBI_BENEFITS") or None)


def _dominant(pairs: tuple[tuple[str, float], ...], language: str) -> str | None:
    return label(pairs[0][0], language) if pairs and pairs[0][1] >= DOMINANT_SHARE else None


def _recency_words(days: int | None, language: str) -> tuple[str, ...]:
    if days is None or days < 14:
        return ()
    months = round(days / 30)
    return (f"{days}天", f"{months}个月") if language == "zh" else (f"{days} days", f"{months} months")


def used_facts(texts: list[str], view: FactView) -> list[str]:
    """The fact keys whose surface appears in any of the texts."""
    blob = "\n".join(texts).lower()
    return [key for key, words in view.surfaces().items() if any(w.lower() in blob for w in words)]
