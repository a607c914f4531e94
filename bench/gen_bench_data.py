#!/usr/bin/env python3
"""Deterministic benchmark inputs for Xiezhi (Python 3 standard library only).

Writes into OUT (default: <repo>/target/bench-data):

  prose_zh.txt     (a) mixed Chinese/English prose, Chinese majority (news, customer-service
                   transcripts, technical docs), about one PI value every 2-4 KB
  logs.log         (b) digit-heavy application logs (logback, nginx, logfmt, JSON lines,
                   metrics): timestamps, 16-20 digit order ids, amounts, latencies, trace ids,
                   IPs, and now and then a phone number or ID number
  english.txt      (c) English-only prose (support mail, meeting notes, docs, news) with sparse
                   PI: names, e-mails, US phones, US street addresses, card numbers
  many/            (d) a directory of many small files (.txt, .log, .csv, .json) in sub-folders
  big.log          (e) one large log file (same generator as (b)), streamed to disk

Every value is synthetic. The same --seed and sizes give the same bytes. A file is skipped when it
already exists with the parameters recorded in OUT/manifest.json (use --force to rewrite).

  python3 bench/gen_bench_data.py                          # a, b, c, d at default sizes
  python3 bench/gen_bench_data.py --only big --big-mb 2048 # the 2 GB file for the memory test
  python3 bench/gen_bench_data.py --prose-mb 4 --logs-mb 4 --only prose,logs   # quick
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

MB = 1 << 20
KB = 1 << 10
DATASETS = ("prose", "logs", "english", "many", "big")

# ---------------------------------------------------------------------------------------------
# Synthetic PI values (valid formats and check digits; none belongs to a real person).

ID_REGIONS = ["110105", "110108", "310104", "310115", "440305", "440106", "330106", "510107",
              "420106", "320102", "500103", "610113", "210102", "370202", "350203", "430104"]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "156", "157", "158", "159", "176", "177", "178", "180", "181",
                   "182", "183", "185", "186", "187", "188", "189", "198", "199"]
AREA_CODES = ["010", "021", "022", "023", "020", "0755", "0571", "025", "027", "028", "029"]
CARD_BINS_CN = ["622202", "621700", "622848", "621661", "622588", "623668", "621226"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "晓东", "海燕", "子涵", "浩然"]
PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
          "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song"]
MAIL_DOMAINS_CN = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "gmail.com",
                   "hotmail.com", "aliyun.com", "huawei-tech.com.cn", "xinghe-soft.cn"]
PROVINCES = [("北京市", "北京市", ["朝阳区", "海淀区", "东城区", "丰台区"]),
             ("上海市", "上海市", ["浦东新区", "徐汇区", "静安区", "闵行区"]),
             ("广东省", "深圳市", ["南山区", "福田区", "宝安区", "龙岗区"]),
             ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "番禺区"]),
             ("浙江省", "杭州市", ["西湖区", "余杭区", "滨江区", "拱墅区"]),
             ("四川省", "成都市", ["武侯区", "锦江区", "高新区", "青羊区"]),
             ("湖北省", "武汉市", ["洪山区", "江汉区", "武昌区", "汉阳区"]),
             ("江苏省", "南京市", ["鼓楼区", "玄武区", "建邺区", "江宁区"])]
ROADS = ["建国路", "人民路", "中山路", "解放大道", "科技园南路", "文三路", "天府大道", "长安街",
         "世纪大道", "深南大道", "珠江路", "光谷大道", "滨江大道", "学院路"]


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def cn_id(r: random.Random) -> str:
    body = (r.choice(ID_REGIONS) + f"{r.randint(1950, 2005)}{r.randint(1, 12):02d}"
            f"{r.randint(1, 28):02d}{r.randint(0, 999):03d}")
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * w for c, w in zip(body, weights))
    return body + "10X98765432"[s % 11]


def cn_mobile(r: random.Random) -> str:
    return r.choice(MOBILE_PREFIXES) + f"{r.randint(0, 99999999):08d}"


def cn_landline(r: random.Random) -> str:
    code = r.choice(AREA_CODES)
    digits = 8 if len(code) == 3 else r.choice([7, 8])
    return f"{code}-{r.randint(2, 8)}{r.randint(0, 10 ** (digits - 1) - 1):0{digits - 1}d}"


def cn_card(r: random.Random) -> str:
    length = r.choice([16, 19])
    body = r.choice(CARD_BINS_CN) + "".join(str(r.randint(0, 9)) for _ in range(length - 7))
    return luhn_complete(body)


def cn_name(r: random.Random) -> str:
    return r.choice(SURNAMES) + r.choice(GIVEN)


def cn_email(r: random.Random) -> str:
    user = r.choice([f"{r.choice(PINYIN)}{r.choice(PINYIN)}{r.randint(1, 999)}",
                     f"{r.randint(10000000, 999999999)}", f"{r.choice(PINYIN)}.{r.choice(PINYIN)}"])
    return f"{user}@{r.choice(MAIL_DOMAINS_CN)}"


def cn_address(r: random.Random) -> str:
    prov, city, districts = r.choice(PROVINCES)
    head = prov if prov == city else prov + city
    tail = r.choice(["", f"{r.randint(1, 30)}栋{r.randint(1, 3)}单元{r.randint(101, 2808)}室",
                     f"{r.choice(['阳光', '锦绣', '翠苑', '万科', '碧桂园'])}小区{r.randint(1, 20)}号楼"])
    return f"{head}{r.choice(districts)}{r.choice(ROADS)}{r.randint(1, 999)}号{tail}"


# ---------------------------------------------------------------------------------------------
# (a) Chinese-majority prose.

CITIES = ["北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "南京", "西安", "重庆", "苏州", "天津"]
DEPTS = ["发展和改革委员会", "统计局", "工业和信息化局", "商务局", "网信办", "市场监督管理局", "交通运输局"]
SECTORS = ["新能源汽车", "集成电路", "人工智能", "生物医药", "跨境电商", "现代物流", "数字金融", "智能制造"]
TECH = ["大模型", "云计算", "边缘计算", "区块链", "隐私计算", "物联网", "5G"]
COMPANIES = ["星河科技", "蓝海物流", "瑞丰电子", "华信数据", "云帆网络", "恒通医药", "启明软件"]
PRODUCTS = ["蓝牙耳机", "空气净化器", "扫地机器人", "羽绒服", "电动牙刷", "机械键盘", "儿童安全座椅"]
WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]
APPS_EN = ["Kafka", "Redis", "Nginx", "Kubernetes", "PostgreSQL", "Elasticsearch", "Spring Boot"]

NEWS = [
    "{city}市{dept}于{year}年{month}月{day}日召开{sector}产业发展推进会，会议指出，今年以来全市{sector}产业链建设取得阶段性进展，累计完成投资{amt}亿元，同比增长{pct}%。",
    "据新华社报道，{year}年前三季度，{city}地区生产总值达到{amt4}亿元，按不变价格计算同比增长{pct}%，其中第三产业增加值占比{pct2}%，{sector}、{sector2}等行业保持较快增长。",
    "{company}{year}年{month}月{day}日晚间发布公告称，公司拟投资{amt}亿元建设{sector}项目，项目预计于{year2}年第{q}季度投产，达产后可实现年营业收入约{amt}亿元，净利润约{amt3}亿元。",
    "记者从{city}市{dept}获悉，截至{month}月底，全市已累计建成{n}个5G基站和{n2}个公共充电桩，覆盖居民小区{n3}个，惠及群众超过{n4}万户。",
    "业内专家表示，随着{tech}技术的快速发展，{sector}行业正在经历深刻变革。企业在加快数字化转型的同时，需要在数据安全和个人信息保护方面投入更多资源，建立健全数据分类分级制度。",
    "根据《个人信息保护法》和《网络数据安全管理条例》的要求，处理个人信息达到{n3}万人以上的数据处理者，应当每年开展一次合规审计，并在{n5}个工作日内向主管部门报送审计报告。",
    "{year}年{month}月，{city}海关共监管进出口货物{amt4}万吨，货值{amt}亿元，其中跨境电商零售进口订单{n4}万单，同比增长{pct}%。",
    "The {sector_en} market in {city_en} grew {pct}% in Q{q}, according to a report released on {month}/{day}/{year} by an industry association.",
]
SERVICE = [
    "客服：您好，很高兴为您服务，请问有什么可以帮您？",
    "客户：我上周{wd}在APP上下的订单，订单号{order}，到现在还没发货，能帮我查一下吗？",
    "客服：非常抱歉给您带来不便，我这边马上帮您查询一下，请您稍等片刻。",
    "客服：查询到您的订单目前在{city}仓库打包，预计{n5}个工作日内发出，物流信息会通过短信通知您。",
    "客户：好的。另外我买的{product}价格是{price}元，现在降价到{price2}元了，能不能补差价？",
    "客服：根据活动规则，签收后{n5}天内降价可以申请价保，系统会在24小时内把差额{diff}元退回您的原支付账户。",
    "客户：那运费险怎么理赔？上次退货我自己垫付了{fee}元运费。",
    "客服：运费险理赔会在退货签收后72小时内自动发起，赔付金额以保险公司审核为准，一般为{fee}元左右。",
    "客户：明白了，谢谢。还有就是会员积分{points}分什么时候过期？",
    "客服：您的积分有效期至{year}年12月31日，可以在“我的-积分商城”里兑换优惠券。还有其他可以帮您的吗？",
    "客户：没有了，谢谢。",
    "客服：不客气，感谢您的耐心等待，祝您生活愉快！本次服务工单号为{ticket}，稍后请为本次服务打分。",
]
DOCS = [
    "本章介绍如何在Linux服务器上部署数据发现服务。部署前请确认已安装JDK 17及以上版本，并为服务预留至少{n5}GB内存和{n3}GB磁盘空间。",
    "配置文件位于/etc/xinghe/config.yaml，其中timeout字段表示请求超时时间，单位为毫秒，默认值为{n4}；retry字段表示失败重试次数，默认值为{n5}。",
    "调用接口GET /api/v{q}/orders/{{orderId}}时，需要在请求头中携带Authorization字段，令牌有效期为{n4}秒，过期后请使用refresh_token重新获取。",
    "如果日志中出现ERROR级别的“connection reset by peer”信息，请先检查{app}连接池配置，maxPoolSize建议设置为CPU核数的{n5}倍，idleTimeout建议不低于{n4}毫秒。",
    "升级到v{q}.{n5}.{n3}版本后，旧版的批量导出功能将被移除，请参考迁移指南完成数据迁移。迁移过程中服务不可用时间约为{n5}分钟。",
    "性能测试结果显示，在{n5}核{n3}GB的测试环境下，系统的P99延迟为{n3}毫秒，吞吐量达到每秒{n4}次请求，CPU平均利用率为{pct}%。",
    "Note: when running behind a reverse proxy, set server.forward-headers-strategy=native so that the client address is taken from X-Forwarded-For; see the {app} documentation for details.",
    "数据分类分级完成后，系统会为每个字段生成敏感级别标签（L1至L4），并在元数据目录中记录字段名称、样例数量、命中规则和最近一次扫描时间。",
]
PI_SENTENCES = [
    "客户：您直接打我手机{mobile}吧，白天都方便接听。",
    "客服：已为您登记，身份证号{id}，请核对是否正确。",
    "相关材料请发送至{email}，邮件标题注明单位名称。",
    "客户：我的卡号是{card}，麻烦尽快处理退款。",
    "客户：新地址是{address}，麻烦帮我改一下。",
    "如需咨询，请在工作日拨打服务热线{landline}。",
    "客户：我的手机号是{mobile}，快递到了直接打这个电话就行。",
    "客户：收货地址改成{address}，收件人{name}，电话{mobile}。",
    "经核实，当事人{name}（身份证号{id}）已于{year}年{month}月{day}日办理完成相关手续。",
    "如对本公告有任何疑问，请发送邮件至{email}，或致电{landline}咨询。",
    "客户：退款请退到我的银行卡，卡号{card}，开户人{name}。",
    "报名人员：{name}，身份证号码：{id}，联系电话：{mobile}，电子邮箱：{email}。",
    "联系人：{name}，办公电话{landline}，手机{mobile}。",
]
EN_CITIES = ["Shanghai", "Shenzhen", "Beijing", "Hangzhou", "Guangzhou"]
EN_SECTORS = ["electric vehicle", "semiconductor", "cloud services", "e-commerce", "logistics"]


def _fill(r: random.Random, template: str, pi: bool = False) -> str:
    year = r.randint(2019, 2026)
    price = r.randint(59, 2999)
    values = dict(
        city=r.choice(CITIES), dept=r.choice(DEPTS), sector=r.choice(SECTORS),
        sector2=r.choice(SECTORS), tech=r.choice(TECH), company=r.choice(COMPANIES),
        product=r.choice(PRODUCTS), wd=r.choice(WEEKDAYS), app=r.choice(APPS_EN),
        year=year, year2=year + 1, month=r.randint(1, 12), day=r.randint(1, 28),
        q=r.randint(1, 4), amt=f"{r.randint(1, 999)}.{r.randint(0, 9)}",
        amt3=f"{r.randint(1, 99)}.{r.randint(0, 99):02d}", amt4=r.randint(1000, 99999),
        pct=f"{r.randint(1, 30)}.{r.randint(0, 9)}", pct2=f"{r.randint(40, 75)}.{r.randint(0, 9)}",
        n=r.randint(100, 9999), n2=r.randint(1000, 99999), n3=r.randint(10, 999),
        n4=r.randint(1000, 99999), n5=r.randint(2, 9),
        order=f"{year}{r.randint(10 ** 13, 10 ** 14 - 1)}", price=price,
        price2=price - r.randint(5, 50), diff=f"{r.randint(5, 50)}.00",
        fee=f"{r.randint(8, 25)}.00", points=r.randint(100, 50000),
        ticket=f"CS{year}{r.randint(10 ** 9, 10 ** 10 - 1)}",
        sector_en=r.choice(EN_SECTORS), city_en=r.choice(EN_CITIES),
    )
    if pi:
        values.update(mobile=cn_mobile(r), id=cn_id(r), name=cn_name(r), email=cn_email(r),
                      landline=cn_landline(r), card=cn_card(r), address=cn_address(r))
    return template.format(**values)


def prose_paragraph(r: random.Random) -> str:
    kind = r.random()
    if kind < 0.4:
        return "".join(_fill(r, r.choice(NEWS)) for _ in range(r.randint(2, 4)))
    if kind < 0.75:
        start = r.randrange(len(SERVICE) - 3)
        return "\n".join(_fill(r, t) for t in SERVICE[start:start + r.randint(3, 6)])
    return "".join(_fill(r, r.choice(DOCS)) for _ in range(r.randint(2, 4)))


def sparse_pi_text(r: random.Random, size: int, paragraph, pi_sentence, gap_kb=(2, 4)) -> str:
    """Paragraphs until `size` bytes, with a PI sentence every `gap_kb` KB (random in range)."""
    out, n, since_pi = [], 0, 0
    lo, hi = gap_kb[0] * KB, gap_kb[1] * KB
    next_pi = r.randint(lo, hi)
    while n < size:
        p = paragraph(r)
        if since_pi + len(p.encode()) >= next_pi:
            p = p + ("\n" if "\n" in p else "") + pi_sentence(r)
            since_pi, next_pi = 0, r.randint(lo, hi)
        else:
            since_pi += len(p.encode())
        p += "\n\n"
        out.append(p)
        n += len(p.encode())
    return "".join(out)


def prose_zh(r: random.Random, size: int) -> str:
    # PI sentences hold 1.6 values on average: one sentence every 3-5 KB is one value per 2-3 KB.
    return sparse_pi_text(r, size, prose_paragraph, lambda r: _fill(r, r.choice(PI_SENTENCES), pi=True), (3, 5))


# ---------------------------------------------------------------------------------------------
# (b), (e) Application logs.

SERVICES = ["order", "payment", "inventory", "user", "gateway", "search", "coupon", "delivery"]
JAVA_CLASSES = ["c.x.order.service.OrderServiceImpl", "c.x.pay.callback.WxPayCallbackHandler",
                "c.x.inv.StockReservationJob", "c.x.gw.filter.AccessLogFilter",
                "c.x.coupon.CouponIssueService", "c.x.delivery.RouteCalculator"]
PATHS = ["/api/v2/orders/{o}", "/api/v1/orders/{o}/items?page={p}&size=20", "/api/v1/sku/{s}",
         "/api/v2/pay/notify", "/api/v1/cart?ts={t}", "/static/js/app.{h}.js", "/healthz",
         "/api/v1/search?q=%E8%80%B3%E6%9C%BA&page={p}"]
AGENTS = ["okhttp/4.12.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0.0.0 Safari/537.36",
          "Dalvik/2.1.0 (Linux; U; Android 14; 23049RAD8C Build/UKQ1.230804.001)", "curl/8.5.0"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class LogGen:
    """Log lines in five styles with an advancing clock; about one PI value every 8 KB."""

    def __init__(self, r: random.Random):
        self.r = r
        self.t = 1_795_000_000.0  # 2026-11-18, advanced by a few ms per line
        self.since_pi = 0

    def _ts(self):
        self.t += self.r.random() * 0.02
        tm = time.gmtime(self.t)
        ms = int((self.t % 1) * 1000)
        return tm, ms

    def line(self) -> str:
        r = self.r
        tm, ms = self._ts()
        k = r.randint(8, 12)  # date + k digits: 16-20 digit order ids
        order = f"{tm.tm_year}{tm.tm_mon:02d}{tm.tm_mday:02d}{r.getrandbits(50) % 10 ** k:0{k}d}"
        trace = f"{r.getrandbits(64):016x}{r.getrandbits(64):016x}"
        ip = f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        amount = f"{r.randint(1, 99999)}.{r.randint(0, 99):02d}"
        lat = r.randint(1, 900)
        style = r.random()
        pi = ""
        if self.since_pi > 8 * KB:
            self.since_pi = 0
            pi = r.choice([f" phone={cn_mobile(r)}", f" idCard={cn_id(r)}", f" mobile={cn_mobile(r)}",
                           f" receiverPhone={cn_mobile(r)}", f" email={cn_email(r)}"])
        if style < 0.35:
            s = (f"{time.strftime('%Y-%m-%d %H:%M:%S', tm)}.{ms:03d} {r.choice(['INFO ', 'INFO ', 'DEBUG', 'WARN '])}"
                 f" [http-nio-8080-exec-{r.randint(1, 200)}] {r.choice(JAVA_CLASSES)} - "
                 f"{r.choice(['create order success', 'query order', 'update status', 'release stock'])}, "
                 f"orderId={order}, userId={r.randint(10 ** 7, 10 ** 9)}, amount={amount}, "
                 f"couponAmount={r.randint(0, 50)}.00, cost={lat}ms, traceId={trace}{pi}")
        elif style < 0.6:
            path = r.choice(PATHS).format(o=order, p=r.randint(1, 50), s=r.randint(10 ** 11, 10 ** 12),
                                          t=int(self.t * 1000), h=f"{r.getrandbits(32):08x}")
            s = (f"{ip} - - [{tm.tm_mday:02d}/{MONTHS[tm.tm_mon - 1]}/{tm.tm_year}:"
                 f"{time.strftime('%H:%M:%S', tm)} +0800] \"{r.choice(['GET', 'GET', 'POST'])} {path} HTTP/1.1\" "
                 f"{r.choice([200, 200, 200, 304, 404, 502])} {r.randint(0, 99999)} \"-\" \"{r.choice(AGENTS)}\" "
                 f"{lat / 1000:.3f} {lat / 1000:.3f}{pi}")
        elif style < 0.8:
            s = (f"ts={time.strftime('%Y-%m-%dT%H:%M:%S', tm)}.{ms:03d}+08:00 level={r.choice(['info', 'info', 'warn'])} "
                 f"svc={r.choice(SERVICES)} msg=\"payment callback\" order_id={order} amount={amount} "
                 f"channel={r.choice(['wxpay', 'alipay', 'unionpay'])} latency_ms={lat} "
                 f"trace_id={trace} span_id={r.getrandbits(64):016x} upstream={ip}:8080{pi}")
        elif style < 0.93:
            json_pi = ""
            if pi:
                key, _, value = pi.strip().partition("=")
                json_pi = f',"{key}":"{value}"'
            s = (f"{{\"@timestamp\":\"{time.strftime('%Y-%m-%dT%H:%M:%S', tm)}.{ms:03d}Z\",\"level\":\"WARN\","
                 f"\"logger\":\"inventory\",\"msg\":\"stock low\",\"sku\":\"{r.randint(10 ** 11, 10 ** 12)}\","
                 f"\"qty\":{r.randint(0, 9)},\"warehouse\":\"WH-SH-0{r.randint(1, 9)}\",\"elapsedMs\":{lat},"
                 f"\"orderNo\":\"{order}\",\"traceId\":\"{trace}\"{json_pi}}}")
        else:
            s = (f"{time.strftime('%Y-%m-%d %H:%M:%S', tm)},{ms:03d} DEBUG [scheduler-{r.randint(1, 8)}] "
                 f"MetricsReporter - jvm.heap.used={r.randint(10 ** 8, 4 * 10 ** 9)} gc.count={r.randint(1, 99999)} "
                 f"gc.time={r.randint(1, 999999)}ms threads={r.randint(50, 800)} cpu=0.{r.randint(1, 99):02d} "
                 f"qps={r.randint(100, 20000)} p99={lat}ms{pi}")
        s += "\n"
        self.since_pi += len(s)
        return s


def logs(r: random.Random, size: int) -> str:
    g, out, n = LogGen(r), [], 0
    while n < size:
        line = g.line()
        out.append(line)
        n += len(line)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# (c) English prose.

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
         "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
         "Daniel", "Karen", "Emily", "Matthew", "Ashley", "Andrew", "Olivia", "Ryan", "Megan"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
        "Martinez", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson",
        "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "Allen", "King", "Wright"]
STREETS = ["Oak Street", "Maple Avenue", "Cedar Lane", "Park Road", "Washington Blvd", "Lake Drive",
           "Hillcrest Avenue", "Sunset Boulevard", "Elm Street", "Pine Court", "River Road"]
US_CITIES = [("Springfield", "IL", "627"), ("Austin", "TX", "787"), ("Portland", "OR", "972"),
             ("Denver", "CO", "802"), ("Columbus", "OH", "432"), ("Raleigh", "NC", "276"),
             ("San Jose", "CA", "951"), ("Boston", "MA", "021"), ("Seattle", "WA", "981")]
EN_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "example.com", "acme-corp.com", "northwind.io"]
PRODUCTS_EN = ["wireless headphones", "standing desk", "espresso machine", "router", "laptop stand",
               "air purifier", "smart thermostat", "mechanical keyboard"]
EN_TOPICS = ["data retention", "the Q3 roadmap", "the onboarding flow", "incident response",
             "vendor management", "the billing migration", "access reviews"]

EN_PARAGRAPHS = [
    "Thank you for contacting customer support. We have received your request regarding order {order} for the {product}. Our records show that the package left our warehouse on {date} and is currently in transit. Delivery usually takes {n} to {n2} business days, and you will receive a tracking update by e-mail as soon as the carrier scans the parcel.",
    "I understand how frustrating it is when a delivery is late. As a gesture of goodwill we have applied a credit of ${amount} to your account, which will be available on your next purchase. If the item has not arrived by the end of next week, please reply to this message and we will arrange a replacement at no additional cost.",
    "Meeting notes, {date}. Attendees discussed {topic} and agreed that the current process is too manual. The team will prepare a proposal with three options, an estimate of the effort required, and the risks of each. Action items were assigned, and the next review is scheduled in two weeks.",
    "During the review of {topic}, the committee noted that {pct} percent of the open items were older than ninety days. The owners were asked to either close them or document why they remain open. Progress will be reported at the next quarterly meeting together with the updated risk register.",
    "To configure the integration, open the administration console, select Settings, and then choose Connectors. Enter the endpoint address and the API key provided by your administrator, and set the timeout to {n3} seconds. Click Test Connection to verify the settings before saving them.",
    "The service processes incoming events in batches of {n3} records. When a batch fails validation, it is written to the dead-letter queue and an alert is raised. Operators can inspect the failed records, correct them, and replay the batch from the console without restarting the pipeline.",
    "Shares of the company rose {pct} percent on {date} after it reported quarterly revenue of ${amount} million, ahead of analyst expectations. The chief executive said demand for its {product} remained strong, although higher shipping costs weighed on margins in the period.",
    "City officials announced on {date} that the downtown library will extend its opening hours starting next month. The library will also launch a series of free workshops on digital skills, covering topics such as online safety, password managers, and how to recognize phishing messages.",
]
EN_PI = [
    "Please contact {name} at {email} or call {phone} if you have any questions about this case.",
    "The replacement will be shipped to {name}, {address}. Please make sure someone is available to sign for the package.",
    "For the refund, the customer provided the card number {card} and asked that the amount be returned to the same card.",
    "Our account manager, {name}, can be reached at {phone} between 9 a.m. and 5 p.m. Eastern Time, or by e-mail at {email}.",
    "Billing address on file: {address}. Card ending: the full number {card} was removed from the ticket after verification.",
]


def us_phone(r: random.Random) -> str:
    a, b, c = r.randint(201, 989), r.randint(200, 999), r.randint(0, 9999)
    return r.choice([f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"+1 {a} {b} {c:04d}", f"{a}.{b}.{c:04d}"])


def us_address(r: random.Random) -> str:
    city, state, zip3 = r.choice(US_CITIES)
    return f"{r.randint(10, 9999)} {r.choice(STREETS)}, {city}, {state} {zip3}{r.randint(0, 99):02d}"


def us_card(r: random.Random) -> str:
    body = r.choice(["4", "51", "52", "53", "54", "55"])
    body += "".join(str(r.randint(0, 9)) for _ in range(15 - len(body)))
    d = luhn_complete(body)
    return r.choice([d, " ".join(d[i:i + 4] for i in range(0, 16, 4)), "-".join(d[i:i + 4] for i in range(0, 16, 4))])


def _fill_en(r: random.Random, template: str) -> str:
    return template.format(
        order=f"{r.randint(10 ** 8, 10 ** 9 - 1)}", product=r.choice(PRODUCTS_EN),
        date=f"{r.choice(MONTHS)} {r.randint(1, 28)}, {r.randint(2022, 2026)}",
        n=r.randint(2, 4), n2=r.randint(5, 9), n3=r.randint(10, 500), pct=r.randint(5, 45),
        amount=f"{r.randint(5, 950)}.{r.randint(0, 99):02d}", topic=r.choice(EN_TOPICS),
        name=f"{r.choice(FIRST)} {r.choice(LAST)}",
        email=f"{r.choice(FIRST).lower()}.{r.choice(LAST).lower()}@{r.choice(EN_DOMAINS)}",
        phone=us_phone(r), address=us_address(r), card=us_card(r))


def english(r: random.Random, size: int) -> str:
    def paragraph(r):
        return " ".join(_fill_en(r, r.choice(EN_PARAGRAPHS)) for _ in range(r.randint(1, 2)))
    # EN_PI sentences hold 2 values on average: one every 4-8 KB is one value per 2-4 KB.
    return sparse_pi_text(r, size, paragraph, lambda r: " " + _fill_en(r, r.choice(EN_PI)), (4, 8))


# ---------------------------------------------------------------------------------------------
# (d) Many files.

def csv_table(r: random.Random, size: int) -> str:
    rows = ["id,姓名,手机号码,身份证号,城市,订单金额,注册时间"]
    n = len(rows[0])
    while n < size:
        row = (f"{r.randint(10 ** 6, 10 ** 7)},{cn_name(r)},{cn_mobile(r)},{cn_id(r)},{r.choice(CITIES)},"
               f"{r.randint(1, 9999)}.{r.randint(0, 99):02d},{r.randint(2019, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
        rows.append(row)
        n += len(row.encode()) + 1
    return "\n".join(rows) + "\n"


def json_doc(r: random.Random, size: int) -> str:
    records, n = [], 0
    while n < size:
        rec = {"orderNo": f"{r.randint(10 ** 17, 10 ** 18)}", "amount": r.randint(100, 999999) / 100,
               "status": r.choice(["PAID", "SHIPPED", "DONE"]), "items": r.randint(1, 5),
               "receiver": {"name": cn_name(r), "phone": cn_mobile(r), "addr": cn_address(r)}
               if r.random() < 0.3 else None, "remark": _fill(r, r.choice(DOCS))}
        s = json.dumps(rec, ensure_ascii=False)
        records.append(s)
        n += len(s.encode()) + 2
    return '{"code":0,"data":{"records":[\n' + ",\n".join(records) + "\n]}}\n"


def many_files(r: random.Random, out: Path, count: int, min_kb: int, max_kb: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        size = r.randint(min_kb * KB, max_kb * KB)
        kind = r.random()
        if kind < 0.5:
            name, text = f"doc_{i:05d}.txt", prose_zh(r, size)
        elif kind < 0.8:
            name, text = f"app_{i:05d}.log", logs(r, size)
        elif kind < 0.9:
            name, text = f"users_{i:05d}.csv", csv_table(r, size)
        else:
            name, text = f"orders_{i:05d}.json", json_doc(r, size)
        sub = out / f"part{i // 100:02d}"
        sub.mkdir(exist_ok=True)
        data = text.encode()
        (sub / name).write_bytes(data)
        total += len(data)
    return total


# ---------------------------------------------------------------------------------------------

def write_text(path: Path, text: str) -> int:
    data = text.encode()
    path.write_bytes(data)
    return len(data)


def write_streamed_logs(path: Path, r: random.Random, size: int) -> int:
    """Streams log lines to disk in ~4 MiB pieces: memory stays small whatever the size."""
    g, n = LogGen(r), 0
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as f:
        while n < size:
            buf, m = [], 0
            while m < 4 * MB:
                line = g.line()
                buf.append(line)
                m += len(line)
            data = "".join(buf).encode()
            f.write(data)
            n += len(data)
    tmp.rename(path)
    return n


def main(argv=None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=repo / "target" / "bench-data")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--only", default="prose,logs,english,many",
                    help=f"comma-separated subset of {','.join(DATASETS)} (default: all but big)")
    ap.add_argument("--prose-mb", type=float, default=32)
    ap.add_argument("--logs-mb", type=float, default=32)
    ap.add_argument("--english-mb", type=float, default=2)
    ap.add_argument("--many-files", type=int, default=2000)
    ap.add_argument("--many-min-kb", type=int, default=4)
    ap.add_argument("--many-max-kb", type=int, default=28)
    ap.add_argument("--big-mb", type=float, default=2048)
    ap.add_argument("--force", action="store_true", help="rewrite files that already exist")
    args = ap.parse_args(argv)

    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    for w in wanted:
        if w not in DATASETS:
            ap.error(f"unknown dataset {w!r}; choose from {', '.join(DATASETS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    manifest_path = args.out / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}

    plans = {
        "prose": ("prose_zh.txt", {"mb": args.prose_mb}),
        "logs": ("logs.log", {"mb": args.logs_mb}),
        "english": ("english.txt", {"mb": args.english_mb}),
        "many": ("many", {"files": args.many_files, "min_kb": args.many_min_kb, "max_kb": args.many_max_kb}),
        "big": ("big.log", {"mb": args.big_mb}),
    }
    for i, name in enumerate(DATASETS):
        if name not in wanted:
            continue
        fname, params = plans[name]
        params = dict(params, seed=args.seed, version=1)
        path = args.out / fname
        if path.exists() and not args.force and manifest.get(name, {}).get("params") == params:
            print(f"{name:8} {path} (exists)")
            continue
        r = random.Random(args.seed * 10 + i)
        t0 = time.time()
        if name == "prose":
            n = write_text(path, prose_zh(r, int(args.prose_mb * MB)))
        elif name == "logs":
            n = write_text(path, logs(r, int(args.logs_mb * MB)))
        elif name == "english":
            n = write_text(path, english(r, int(args.english_mb * MB)))
        elif name == "many":
            if path.exists():
                for p in sorted(path.rglob("*"), reverse=True):
                    p.rmdir() if p.is_dir() else p.unlink()
            n = many_files(r, path, args.many_files, args.many_min_kb, args.many_max_kb)
        else:
            n = write_streamed_logs(path, r, int(args.big_mb * MB))
        manifest[name] = {"path": fname, "bytes": n, "params": params}
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
        print(f"{name:8} {path} {n / MB:.1f} MiB in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
