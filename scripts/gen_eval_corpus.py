#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Labelled evaluation corpus generator for Xiezhi (personal-information detection).

Standard library only (Python 3.11+). Deterministic for a given --seed.

    python3 scripts/gen_eval_corpus.py --out /tmp/corpus --seed 42 --size small [--self-check]

Every check-digit / allocation rule here is implemented independently from the public
standards (GB 11643, ISO 7064, GB 32100, GB 11714, ISO 3779, Luhn, HKID, ROC ID) so that the
corpus is an honest yardstick for the detection engine. See scripts/README-eval.md.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import ipaddress
import json
import os
import random
import re
import sys
import time
from collections import Counter

GENERATOR_VERSION = "1.0.0"

PI_TYPES = [
    "cn_resident_id", "cn_mobile", "cn_landline", "email", "bank_card", "cn_passport",
    "hk_macau_permit", "tw_permit", "hk_id", "mo_id", "tw_id", "cn_uscc", "cn_license_plate",
    "vin", "ipv4", "ipv6", "mac_address", "imei", "device_id", "gps_coordinate", "phone_intl",
    "person_name", "cn_address", "street_address", "date_of_birth", "ethnicity", "religion",
    "health", "biometric", "credential",
]

SIZES = {
    # target bytes, minimum positive labels per type
    "small": (2_000_000, 150),
    "full": (20_000_000, 1500),
}

# ---------------------------------------------------------------------------------------------
# Reference data (public knowledge)
# ---------------------------------------------------------------------------------------------

# Real county-level administrative division codes (GB/T 2260), long-standing ones.
REGION_CODES = """
110101 110102 110103 110104 110105 110106 110107 110108 110109 110111 110112 110113 110114
110115 110116 110117 110228 110229
120101 120102 120103 120104 120105 120106 120110 120111 120112 120113 120114 120115
130102 130104 130105 130108 130202 130203 130302 130303 130402 130403 130602 130604 130902
131002
140105 140106 140107 140108 140109 140110
150102 150103 150104 150105 150202 150203 150204
210102 210103 210104 210105 210106 210111 210112 210202 210203 210204 210211 210302
220102 220103 220104 220105 220106 220202
230102 230103 230104 230108 230109 230110 230202
310101 310103 310104 310105 310106 310107 310108 310109 310110 310112 310113 310114 310115
310116 310117 310118 310120 310230
320102 320104 320105 320106 320111 320113 320114 320115 320205 320206 320211 320302 320311
320402 320404 320411 320412 320505 320506 320507 320508 320509 320581 320582 320583 320602
320902 321002 321102
330102 330103 330104 330105 330106 330108 330109 330110 330203 330205 330206 330211 330212
330302 330303 330304 330402 330502 330602 330702 330782 331002 331082
340102 340103 340104 340111 340202 340203 340302
350102 350103 350104 350105 350111 350203 350205 350206 350211 350212 350213 350502 350503
350581 350582
360102 360103 360104 360111 360121
370102 370103 370104 370105 370112 370202 370203 370211 370212 370213 370214 370302 370303
370602 370702 370705 370802 371002
410102 410103 410104 410105 410122 410202 410302 410305 410402
420102 420103 420104 420105 420106 420107 420111 420112 420115 420202 420502
430102 430103 430104 430105 430111 430202 430302
440103 440104 440105 440106 440111 440112 440113 440114 440303 440304 440305 440306 440307
440308 440402 440507 440604 440605 440606 440802 441302 441900 442000 445102
450102 450103 450105 450107 450202 450302
460105 460106 460107 460108
500101 500102 500103 500104 500105 500106 500107 500108 500112
510104 510105 510106 510107 510108 510112 510302 510703 511102
520102 520103 520111 520302
530102 530103 530111 530112 530402
540102
610102 610103 610104 610111 610112 610113 610302 610402
620102 620103 620104 620105
630102 630103 630104
640104 640105 640106
650102 650103 650104 650105
""".split()

# Regular mobile number segments (voice), per the brief.
MOBILE_PREFIXES = (
    [str(p) for p in range(130, 140)]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159", "166"]
    + ["170", "171", "172", "173", "175", "176", "177", "178"]
    + [str(p) for p in range(180, 190)]
    + ["190", "191", "193", "195", "196", "197", "198", "199", "147", "162", "165", "167"]
)
MOBILE_SET = frozenset(MOBILE_PREFIXES)
BAD_MOBILE_PREFIXES = ["100", "101", "102", "104", "106", "108", "110", "112", "115", "118",
                       "120", "121", "123", "125", "127", "129", "154"]

# area code -> local number length
LANDLINE_AREAS = {
    "010": 8, "020": 8, "021": 8, "022": 8, "023": 8, "024": 8, "025": 8, "027": 8, "028": 8,
    "029": 8, "0311": 8, "0351": 8, "0371": 8, "0411": 8, "0431": 8, "0451": 8, "0510": 8,
    "0512": 8, "0513": 8, "0516": 8, "0519": 8, "0531": 8, "0532": 8, "0551": 8, "0571": 8,
    "0574": 8, "0577": 8, "0591": 8, "0592": 7, "0731": 8, "0754": 8, "0755": 8, "0756": 7,
    "0757": 8, "0760": 8, "0769": 8, "0791": 8, "0851": 8, "0871": 8, "0898": 8,
    "0471": 7, "0771": 7, "0931": 7, "0951": 7, "0971": 7, "0991": 7,
}
LANDLINE_CODES = list(LANDLINE_AREAS)

SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
    ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("袁", "yuan"),
    ("潘", "pan"), ("于", "yu"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"),
    ("叶", "ye"), ("程", "cheng"), ("苏", "su"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"),
    ("任", "ren"), ("沈", "shen"), ("姚", "yao"), ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"),
    ("钟", "zhong"), ("谭", "tan"), ("陆", "lu"), ("汪", "wang"), ("范", "fan"), ("金", "jin"),
    ("石", "shi"), ("廖", "liao"), ("贾", "jia"), ("夏", "xia"), ("韦", "wei"), ("方", "fang"),
    ("白", "bai"), ("邹", "zou"), ("孟", "meng"), ("熊", "xiong"), ("秦", "qin"), ("邱", "qiu"),
    ("江", "jiang"), ("尹", "yin"), ("薛", "xue"), ("段", "duan"), ("雷", "lei"), ("侯", "hou"),
    ("龙", "long"), ("史", "shi"), ("陶", "tao"), ("黎", "li"), ("贺", "he"), ("顾", "gu"),
    ("毛", "mao"), ("郝", "hao"), ("龚", "gong"), ("邵", "shao"), ("万", "wan"), ("钱", "qian"),
    ("严", "yan"), ("覃", "qin"), ("武", "wu"), ("戴", "dai"), ("莫", "mo"), ("孔", "kong"),
    ("向", "xiang"), ("汤", "tang"),
]
COMPOUND_SURNAMES = [
    ("欧阳", "ouyang"), ("司马", "sima"), ("上官", "shangguan"), ("诸葛", "zhuge"),
    ("东方", "dongfang"), ("皇甫", "huangfu"), ("慕容", "murong"), ("令狐", "linghu"),
    ("司徒", "situ"), ("夏侯", "xiahou"),
]
GIVEN_CHARS = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("霞", "xia"),
    ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"), ("玉", "yu"),
    ("兰", "lan"), ("萍", "ping"), ("红", "hong"), ("建", "jian"), ("文", "wen"), ("辉", "hui"),
    ("鹏", "peng"), ("宇", "yu"), ("浩", "hao"), ("然", "ran"), ("子", "zi"), ("轩", "xuan"),
    ("欣", "xin"), ("怡", "yi"), ("梓", "zi"), ("涵", "han"), ("思", "si"), ("雨", "yu"),
    ("晨", "chen"), ("博", "bo"), ("嘉", "jia"), ("俊", "jun"), ("昊", "hao"), ("婷", "ting"),
    ("雪", "xue"), ("琳", "lin"), ("颖", "ying"), ("佳", "jia"), ("瑞", "rui"), ("志", "zhi"),
    ("海", "hai"), ("峰", "feng"), ("秀", "xiu"), ("春", "chun"), ("晓", "xiao"), ("慧", "hui"),
    ("倩", "qian"), ("丹", "dan"), ("凯", "kai"), ("亮", "liang"), ("斌", "bin"), ("飞", "fei"),
    ("燕", "yan"), ("梅", "mei"), ("莉", "li"), ("振", "zhen"), ("宏", "hong"), ("立", "li"),
    ("新", "xin"), ("永", "yong"), ("德", "de"), ("成", "cheng"), ("荣", "rong"), ("庆", "qing"),
    ("诗", "shi"), ("若", "ruo"), ("泽", "ze"), ("睿", "rui"), ("安", "an"), ("可", "ke"),
    ("晶", "jing"), ("巧", "qiao"), ("雅", "ya"), ("国", "guo"), ("一", "yi"),
]
# Words that begin with a surname character but are not names (hard negatives for person_name).
NONNAME_WORDS = [
    "王国", "张开", "李子", "高兴", "周末", "黄金", "方向", "马上", "江南", "林业", "石油", "金融",
    "钱包", "白天", "常规", "程序", "汤圆", "孔雀", "龙头", "雷达", "毛巾", "高速", "万一", "方便",
    "白领", "金牌", "石头", "向往", "叶子", "于是", "安全", "黄昏", "高原", "周期", "方案", "马路",
    "丁香", "林立", "田园", "江湖", "金额", "程度", "向导", "华丽", "明天", "海洋",
]
EN_FIRST = ["John", "Mary", "David", "Sarah", "Michael", "Emily", "James", "Jennifer", "Robert",
            "Linda", "William", "Elizabeth", "Daniel", "Jessica", "Thomas", "Karen", "Kevin",
            "Lisa", "Brian", "Amanda", "Steven", "Rachel", "Andrew", "Laura", "Peter", "Grace",
            "Oliver", "Sophie", "Henry", "Chloe", "Ethan", "Hannah", "Lucas", "Olivia", "Noah",
            "Emma", "Ryan", "Megan", "Jason", "Nicole"]
EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
           "Anderson", "Taylor", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
           "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green",
           "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
           "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris"]

ADDR_REGIONS = [
    ("", "北京市", ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "通州区", "昌平区", "大兴区", "顺义区"]),
    ("", "上海市", ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "浦东新区", "闵行区", "宝山区", "嘉定区", "松江区"]),
    ("", "天津市", ["和平区", "河西区", "南开区", "河东区", "滨海新区"]),
    ("", "重庆市", ["渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区", "渝北区"]),
    ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "荔湾区", "白云区", "番禺区", "黄埔区"]),
    ("广东省", "深圳市", ["南山区", "福田区", "罗湖区", "宝安区", "龙岗区", "龙华区"]),
    ("广东省", "佛山市", ["禅城区", "南海区", "顺德区"]),
    ("浙江省", "杭州市", ["西湖区", "上城区", "拱墅区", "滨江区", "萧山区", "余杭区"]),
    ("浙江省", "宁波市", ["海曙区", "江北区", "鄞州区", "北仑区"]),
    ("浙江省", "温州市", ["鹿城区", "龙湾区", "瓯海区"]),
    ("江苏省", "南京市", ["玄武区", "秦淮区", "建邺区", "鼓楼区", "江宁区", "栖霞区"]),
    ("江苏省", "苏州市", ["姑苏区", "吴中区", "相城区", "虎丘区", "吴江区"]),
    ("江苏省", "无锡市", ["梁溪区", "滨湖区", "锡山区"]),
    ("四川省", "成都市", ["锦江区", "青羊区", "金牛区", "武侯区", "成华区", "双流区"]),
    ("湖北省", "武汉市", ["江岸区", "江汉区", "武昌区", "洪山区", "汉阳区"]),
    ("湖南省", "长沙市", ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区"]),
    ("陕西省", "西安市", ["雁塔区", "碑林区", "莲湖区", "新城区", "未央区"]),
    ("山东省", "济南市", ["历下区", "市中区", "槐荫区", "天桥区", "历城区"]),
    ("山东省", "青岛市", ["市南区", "市北区", "李沧区", "崂山区", "黄岛区"]),
    ("河南省", "郑州市", ["金水区", "中原区", "二七区", "管城回族区"]),
    ("福建省", "福州市", ["鼓楼区", "台江区", "仓山区", "晋安区"]),
    ("福建省", "厦门市", ["思明区", "湖里区", "集美区", "海沧区"]),
    ("辽宁省", "沈阳市", ["和平区", "沈河区", "皇姑区", "铁西区"]),
    ("辽宁省", "大连市", ["中山区", "西岗区", "沙河口区", "甘井子区"]),
    ("安徽省", "合肥市", ["蜀山区", "包河区", "庐阳区", "瑶海区"]),
    ("云南省", "昆明市", ["五华区", "盘龙区", "官渡区", "西山区"]),
    ("黑龙江省", "哈尔滨市", ["南岗区", "道里区", "道外区", "香坊区"]),
    ("吉林省", "长春市", ["朝阳区", "南关区", "宽城区", "绿园区"]),
    ("河北省", "石家庄市", ["长安区", "桥西区", "新华区", "裕华区"]),
    ("山西省", "太原市", ["小店区", "迎泽区", "杏花岭区", "万柏林区"]),
    ("江西省", "南昌市", ["东湖区", "西湖区", "青山湖区"]),
    ("广西壮族自治区", "南宁市", ["青秀区", "兴宁区", "西乡塘区"]),
    ("海南省", "海口市", ["龙华区", "美兰区", "秀英区"]),
    ("贵州省", "贵阳市", ["南明区", "云岩区", "观山湖区"]),
    ("甘肃省", "兰州市", ["城关区", "七里河区"]),
    ("新疆维吾尔自治区", "乌鲁木齐市", ["天山区", "沙依巴克区"]),
    ("内蒙古自治区", "呼和浩特市", ["新城区", "赛罕区", "回民区"]),
]
ADDR_COUNTY_TOWNS = [
    ("浙江省", "湖州市", "德清县", "武康街道"), ("江苏省", "苏州市", "昆山市", "花桥镇"),
    ("广东省", "东莞市", "", "长安镇"), ("浙江省", "金华市", "义乌市", "稠城街道"),
    ("山东省", "潍坊市", "寿光市", "圣城街道"), ("福建省", "泉州市", "晋江市", "陈埭镇"),
    ("四川省", "成都市", "郫都区", "犀浦街道"), ("河北省", "保定市", "涿州市", "双塔街道"),
]
ROAD_WORDS = ["建国", "人民", "解放", "中山", "文三", "科技园南", "长江", "黄河", "和平", "新华",
              "学院", "延安", "淮海", "天府", "滨江", "迎宾", "光明", "胜利", "幸福", "创业",
              "振兴", "东风", "朝阳", "青年", "花园", "文化", "体育", "工业", "兴业", "世纪",
              "春华", "翠微", "望京", "丰泽", "环城", "教育", "桂花", "紫荆", "凤凰", "银杏"]
ROAD_SUFFIX = ["路", "路", "路", "大道", "街", "南路", "北路", "东路", "西路", "中路", "大街"]
COMMUNITIES = ["阳光花园", "锦绣家园", "翠苑小区", "幸福里小区", "世纪花园", "金色家园", "碧水湾",
               "滨江花园", "丽景苑", "御景华庭", "绿洲小区", "和平里"]
VILLAGE_WORDS = ["东风村", "新河村", "大王庄村", "李家村", "前进村", "红旗村"]

US_STREETS = ["Main Street", "Oak Avenue", "Maple Drive", "Market Street", "Broadway",
              "Elm Street", "Park Avenue", "Sunset Boulevard", "Pine Street",
              "Washington Avenue", "Lake Shore Drive", "Amphitheatre Parkway", "Mission Street",
              "Cedar Lane", "Fifth Avenue", "Hillside Road", "University Avenue"]
US_CITIES = [("Mountain View", "CA", "94043"), ("San Francisco", "CA", "94105"),
             ("New York", "NY", "10001"), ("Seattle", "WA", "98101"), ("Austin", "TX", "78701"),
             ("Chicago", "IL", "60601"), ("Boston", "MA", "02108"), ("Los Angeles", "CA", "90012"),
             ("San Jose", "CA", "95113"), ("Denver", "CO", "80202"), ("Palo Alto", "CA", "94301")]
UK_ADDR = [("Baker Street", "London", "NW1 6XE"), ("High Street", "Oxford", "OX1 4AP"),
           ("Oxford Road", "Manchester", "M1 7ED"), ("Princes Street", "Edinburgh", "EH2 2ER"),
           ("Victoria Road", "Cambridge", "CB4 3BW"), ("King Street", "London", "W6 9HS")]
OTHER_ADDR = ["100 George Street, Sydney NSW 2000", "10 Anson Road, #12-01, Singapore 079903",
              "250 Yonge Street, Toronto, ON M5B 2L7", "Friedrichstrasse 68, 10117 Berlin"]

ETHNICITIES = ["汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族",
               "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族",
               "黎族", "傈僳族", "畲族", "纳西族", "羌族", "锡伯族", "仡佬族", "土族"]
ETHNICITIES_EN = ["Han", "Hui", "Manchu", "Uyghur", "Tibetan", "Mongol", "Zhuang", "Miao",
                  "Korean", "Yi", "Tujia", "Dong", "Yao", "Bai"]
RELIGIONS = ["佛教", "道教", "伊斯兰教", "天主教", "基督教", "基督新教", "东正教"]
RELIGIONS_EN = ["Buddhism", "Taoism", "Islam", "Catholicism", "Christianity", "Protestantism",
                "Orthodox Christianity"]
HEALTH_ZH = ["2型糖尿病", "1型糖尿病", "高血压", "冠心病", "慢性乙型肝炎", "支气管哮喘", "抑郁症",
             "焦虑障碍", "甲状腺功能亢进", "类风湿性关节炎", "慢性胃炎", "肺结核", "HIV感染",
             "系统性红斑狼疮", "腰椎间盘突出症", "急性阑尾炎", "乳腺癌", "肺腺癌", "帕金森病",
             "癫痫", "青霉素过敏", "精神分裂症", "慢性肾病3期", "脑梗死后遗症", "痛风",
             "双相情感障碍", "阿尔茨海默病", "慢性阻塞性肺疾病", "海鲜过敏", "妊娠期糖尿病"]
HEALTH_EN = ["asthma", "type 2 diabetes", "hypertension", "major depressive disorder",
             "chronic hepatitis B", "HIV infection", "breast cancer", "epilepsy",
             "rheumatoid arthritis", "penicillin allergy", "coronary artery disease",
             "bipolar disorder", "generalized anxiety disorder", "Parkinson's disease",
             "chronic kidney disease", "peanut allergy"]
COMPANIES = ["北京市人民政府", "中国工商银行", "深圳市腾飞科技有限公司", "杭州星河数据有限公司",
             "上海浦东发展银行", "华润万家", "顺丰速运", "中国移动", "国家电网", "招商银行",
             "南方航空", "京东物流", "美团外卖", "阿里云", "长城汽车", "上海证券交易所"]
PLACES = ["深圳市南山区", "杭州西湖", "北京市海淀区", "成都", "广州天河", "上海陆家嘴", "苏州工业园区",
          "武汉光谷", "西安高新区", "重庆解放碑", "南京新街口", "厦门鼓浪屿"]
BANKS = ["中国工商银行", "中国农业银行", "中国建设银行", "中国银行", "招商银行", "交通银行",
         "中国邮政储蓄银行", "浦发银行", "兴业银行", "中信银行"]
EMAIL_FREE = ["qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "sina.com",
              "hotmail.com", "foxmail.com", "yeah.net", "aliyun.com", "139.com", "sohu.com"]
COMPANY_WORDS = ["xinghe", "hengtong", "huaxin", "tianyu", "jinhui", "ruifeng", "boda",
                 "zhongke", "yuntu", "haina", "kaiyuan", "shengda", "lianchuang", "mingyuan"]
COMPANY_TLDS = [".cn", ".com.cn", ".com", ".net.cn"]

# UnionPay (62) BINs of Chinese issuers, with card lengths; Visa/Mastercard BINs of Chinese banks.
BINS = [("622202", 19), ("622208", 19), ("621226", 19), ("622848", 19), ("622845", 19),
        ("621700", 19), ("622700", 19), ("622588", 16), ("621483", 16), ("622580", 16),
        ("622262", 19), ("621661", 19), ("622126", 16), ("622150", 19), ("625965", 16),
        ("628288", 16), ("621799", 19), ("622609", 16), ("622155", 17), ("621977", 18),
        ("436742", 16), ("427020", 16), ("409672", 16), ("438088", 16), ("456351", 16),
        ("518710", 16), ("524091", 16), ("552599", 16), ("545620", 16), ("512315", 16)]

PROVINCE_ABBR = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q
VIN_YEAR = "ABCDEFGHJKLMNPRSTVWXY123456789"
VIN_WMI = ["LSV", "LFV", "LGB", "LHG", "LVS", "LBV", "LE4", "LRW", "LGX", "LSG", "LVG", "LDC",
           "LJD", "LFM", "LGW"]
MAC_OUIS = ["3C:22:FB", "F0:18:98", "28:6C:07", "64:09:80", "00:E0:4C", "48:3C:0C", "AC:85:3D",
            "DC:A6:32", "B8:27:EB", "8C:85:90", "A4:83:E7", "50:8F:4C", "C8:3A:35", "70:8B:CD"]
TACS = ["35", "86", "01"]
IPV4_PUBLIC_FIRST = [36, 39, 42, 58, 59, 60, 61, 101, 106, 111, 112, 113, 114, 116, 117, 119,
                     120, 121, 122, 123, 124, 125, 180, 182, 183, 210, 211, 218, 219, 220, 221,
                     222, 223]
IPV6_PREFIXES = ["2408:8207", "2408:8456", "2409:8a1e", "2409:8c54", "240e:3b4", "240e:47c",
                 "2401:ba00", "2001:da8"]
CITY_COORDS = [(39.9042, 116.4074), (31.2304, 121.4737), (23.1291, 113.2644),
               (22.5431, 114.0579), (30.2741, 120.1551), (30.5728, 104.0668),
               (30.5928, 114.3055), (34.3416, 108.9398), (36.0671, 120.3826),
               (29.5630, 106.5516), (32.0603, 118.7969), (24.4798, 118.0894)]
INTL_NANP = ["212", "415", "650", "408", "310", "213", "206", "312", "617", "202", "305", "512",
             "646", "718", "917", "604", "416"]

FW_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
GBK_FIX = str.maketrans({"¥": "￥", "€": "EUR", "–": "-", "’": "'", "“": "\"", "”": "\""})

# ---------------------------------------------------------------------------------------------
# Check-digit algorithms (independent implementations from the public standards)
# ---------------------------------------------------------------------------------------------


def luhn_ok(d: str) -> bool:
    if not d.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(d)):
        x = ord(ch) - 48
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        total += x
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    for c in "0123456789":
        if luhn_ok(body + c):
            return body + c
    raise AssertionError


def gb11643_check(body17: str) -> str:
    """ISO 7064 MOD 11-2 (pure system, recursive form) as used by GB 11643."""
    p = 0
    for ch in body17:
        p = ((p + ord(ch) - 48) * 2) % 11
    c = (1 - p) % 11
    return "X" if c == 10 else str(c)


def id18_valid(s: str) -> bool:
    if len(s) != 18 or not s[:17].isdigit():
        return False
    return gb11643_check(s[:17]) == s[17].upper()


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check(body17: str) -> str:
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_W))
    c = 31 - s % 31
    return USCC_CHARS[0 if c == 31 else c]


def orgcode_check(body8: str) -> str:
    """GB 11714 organisation code check character."""
    w = [3, 7, 9, 10, 5, 8, 4, 2]
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * wi for c, wi in zip(body8, w))
    c = 11 - s % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def hkid_check(prefix: str, digits6: str) -> str:
    chars = (" " + prefix) if len(prefix) == 1 else prefix
    vals = [36 if ch == " " else ord(ch) - 55 for ch in chars] + [int(d) for d in digits6]
    s = sum(v * w for v, w in zip(vals, [9, 8, 7, 6, 5, 4, 3, 2]))
    c = (11 - s % 11) % 11
    return "A" if c == 10 else str(c)


TW_LETTER = {"A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34,
             "J": 18, "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25,
             "S": 26, "T": 27, "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33}


def twid_check(letter: str, digits8: str) -> str:
    v = TW_LETTER[letter]
    s = (v // 10) * 1 + (v % 10) * 9
    for d, w in zip(digits8, [8, 7, 6, 5, 4, 3, 2, 1]):
        s += int(d) * w
    return str((10 - s % 10) % 10)


def twid_valid(s: str) -> bool:
    return (len(s) == 10 and s[0] in TW_LETTER and s[1] in "12" and s[1:].isdigit()
            and twid_check(s[0], s[1:9]) == s[9])


VIN_TRANS = {**{str(i): i for i in range(10)},
             "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
             "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
             "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9}
VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin_check(vin17: str) -> str:
    s = sum(VIN_TRANS[c] * w for c, w in zip(vin17, VIN_W))
    r = s % 11
    return "X" if r == 10 else str(r)


def digits_look_valid(d: str) -> bool:
    """True if a digit string would pass a value validator of some PI type (used to keep
    numeric hard negatives honest: they must fail every check)."""
    n = len(d)
    if n == 18 and id18_valid(d):
        return True
    if not d.isdigit():
        return False
    if 16 <= n <= 19 and luhn_ok(d):
        return True
    if n == 15 and luhn_ok(d):
        return True
    if n == 11 and d[:3] in MOBILE_SET:
        return True
    return False


# ---------------------------------------------------------------------------------------------
# Segments. A document is a list of parts (written_text, pi_type|None, neg_kind|None, value|None).
# value is the logical value when written_text is an escaped form (JSON \uXXXX).
# ---------------------------------------------------------------------------------------------


class Doc:
    __slots__ = ("parts", "chars")

    def __init__(self):
        self.parts = []
        self.chars = 0

    def t(self, s):
        self.parts.append((s, None, None, None))
        self.chars += len(s)

    def add(self, seg):
        if isinstance(seg, list):
            for s in seg:
                self.add(s)
            return
        if isinstance(seg, str):
            self.t(seg)
            return
        self.parts.append(seg)
        self.chars += len(seg[0])


class PV:
    """Positive JSON leaf."""
    __slots__ = ("seg", "num")

    def __init__(self, seg, num=False):
        self.seg, self.num = seg, num


class NV(PV):
    """Negative JSON leaf."""


class MV:
    """A JSON string made of several segments."""
    __slots__ = ("segs",)

    def __init__(self, segs):
        self.segs = segs


def jesc(s: str, esc: bool) -> str:
    return json.dumps(s, ensure_ascii=esc)[1:-1]


def emit_json(obj, doc: Doc, esc: bool, indent, level=0):
    nl = "\n" if indent else ""
    pad = " " * (indent * (level + 1)) if indent else ""
    endpad = " " * (indent * level) if indent else ""
    sep_kv = ": " if indent else ":"
    if isinstance(obj, dict):
        if not obj:
            doc.t("{}")
            return
        doc.t("{" + nl)
        items = list(obj.items())
        for i, (k, v) in enumerate(items):
            doc.t(pad + '"' + jesc(k, esc) + '"' + sep_kv)
            emit_json(v, doc, esc, indent, level + 1)
            doc.t(("," if i < len(items) - 1 else "") + nl)
        doc.t(endpad + "}")
    elif isinstance(obj, list):
        if not obj:
            doc.t("[]")
            return
        doc.t("[" + nl)
        for i, v in enumerate(obj):
            doc.t(pad)
            emit_json(v, doc, esc, indent, level + 1)
            doc.t(("," if i < len(obj) - 1 else "") + nl)
        doc.t(endpad + "]")
    elif isinstance(obj, PV):
        text, typ, neg, _ = obj.seg
        if obj.num and re.fullmatch(r"-?(0|[1-9]\d*)(\.\d+)?", text):
            doc.add(obj.seg)
        else:
            doc.t('"')
            e = jesc(text, esc)
            doc.add((e, typ, neg, text if e != text else None))
            doc.t('"')
    elif isinstance(obj, MV):
        doc.t('"')
        for seg in obj.segs:
            if isinstance(seg, str):
                doc.t(jesc(seg, esc))
            else:
                text, typ, neg, _ = seg
                e = jesc(text, esc)
                doc.add((e, typ, neg, text if e != text else None))
        doc.t('"')
    elif obj is True:
        doc.t("true")
    elif obj is False:
        doc.t("false")
    elif obj is None:
        doc.t("null")
    elif isinstance(obj, (int, float)):
        doc.t(str(obj))
    else:
        doc.t('"' + jesc(str(obj), esc) + '"')


TEMPLATE_RE = re.compile(r"\{(\w+)\}")

# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------

ZH_PI = [
    "客户{name}来电咨询退款进度，预留手机号为{mobile}。",
    "经核实，该用户身份证号{id}，与实名信息一致。",
    "请将发票寄至{addr}，收件人{name}，电话{mobile}。",
    "联系人：{name}，联系电话：{landline}。",
    "用户反馈其绑定的银行卡{card}扣款失败。",
    "尊敬的{name}，您的订单已发货，如有疑问请回复本短信。",
    "患者{name}，{age}岁，诊断：{health}。",
    "既往病史：{health}；过敏史：{health}。",
    "员工{name}（工号{empno}）提交了护照{passport}的复印件。",
    "申请人持港澳通行证{hkmo}办理入境手续。",
    "台胞证号码：{twp}，有效期至{future_date}。",
    "香港身份证号码{hkid}已完成核验。",
    "澳门居民身份证{moid}的持证人需补充材料。",
    "台湾身份证字号{twid}，请于三个工作日内补交资料。",
    "合作方统一社会信用代码为{uscc}，注册地址：{addr}。",
    "车主{name}的车辆{plate}于昨日在停车场被剐蹭。",
    "车架号{vin}对应的车辆已完成年检。",
    "登录IP为{ip4}，与常用地不符，已触发风控。",
    "系统检测到来自{ip6}的异常访问。",
    "设备MAC地址{mac}已加入白名单。",
    "手机IMEI号{imei}已挂失。",
    "该设备的广告标识idfa={idfa}，需按用户要求删除。",
    "安卓设备oaid：{oaid}，android_id：{androidid}。",
    "定位坐标：{gps}，位于小区东门附近。",
    "客户目前在海外，联系电话{intl}，请注意时差。",
    "邮箱：{email}，请于今日内回复。",
    "出生日期：{dob_zh}，性别：{gender}。",
    "民族：{eth}，籍贯：{province}。",
    "宗教信仰：{rel}。",
    "已采集人脸特征值：{bio}",
    "临时密码：{pwd}，请登录后立即修改。",
    "快递员{name}电话{mobile}，预计下午送达。",
    "请{name}同学于周五前到教务处领取学生证。",
    "{name}女士的身份证号码是{id}，家庭住址：{addr}。",
    "收件人：{name}；手机：{mobile}；地址：{addr}。",
    "本人{name}，身份证号{id}，自愿申请注销账户。",
    "持卡人{name}，卡号{card}，开户行：{bankname}。",
    "经办人：{name}　电话：{landline}",
    "老身份证号{id15}（十五位）已于2005年换领为十八位。",
    "请将款项转入{name}的账户{card}。",
    "家属{name}（手机{mobile}）已签署知情同意书。",
    "该客户生日是{dob_zh}，系统已自动发送祝福短信。",
    "新员工{name}，{eth}，{dob_zh}出生。",
    "外籍客户{ename}的联系地址为{saddr}。",
    "接口密钥api_key：{apikey}已泄露，需立即轮换。",
    "访问令牌token：{jwt}",
    "患者自述有{health}病史多年，长期服药。",
    "指纹模板数据：{bio_fp}",
    "紧急联系人：{name}（{mobile}）。",
    "用户在备注中填写了“{id}”。",
    "{mobile}来电，称未收到货。",
    "客户{name}先生来电投诉配送延误。",
    "客户{name}女士要求更换收货地址为{addr}。",
    "尊敬的{name}：您的账户于{ts}在{ip4}登录，如非本人操作请及时修改密码。",
    "医保卡关联手机号：{mobile}；身份证：{id}",
    "请联系{name}老师，办公电话{landline}，邮箱{email}。",
    "声纹特征：{bio}",
    "密码：{pwd}",
    "护照号码{passport}，签发机关：公安部出入境管理局。",
    "往来港澳通行证{hkmo}即将到期，请提前续签。",
    "台湾居民来往大陆通行证（台胞证）{twp}已登记。",
    "客户的车牌号是{plate}，车辆识别代号{vin}。",
    "定位信息：经度{lng}，纬度{lat}。",
    "IMEI：{imei}；MAC：{mac}；IP：{ip4}",
    "境外手机号：{intl}",
    "初步诊断为{health}，建议住院观察。",
    "{name}同学的家长电话为{mobile}。",
]

ZH_FILLER = [
    "感谢您的耐心等待，我们会尽快为您处理。",
    "订单号：{order}，实付金额{amount}。",
    "您的包裹已由快递公司揽收，运单号{tracking}。",
    "周末物流配送时效可能延长，敬请谅解。",
    "本次活动最终解释权归本公司所有。",
    "系统将于{dotdate}凌晨进行例行维护。",
    "客服热线{svc400}，工作时间9:00-21:00。",
    "交易流水号{txn}，请妥善保存。",
    "发票号码{invoice}，开票金额{amount}。",
    "{company}发布了最新的数据安全指引。",
    "{place}的多家科技企业参加了本次展会。",
    "黄金价格近期波动较大，请理性投资。",
    "大家都很高兴看到项目按期上线。",
    "小朋友们在果园里摘李子。",
    "童话里的王国总是很美好。",
    "请张开双臂，保持姿势三秒。",
    "公司调整了战略方向，聚焦核心业务。",
    "版本号{version}已发布，修复了若干问题。",
    "来电号码{mask_mobile}已被标记为骚扰电话。",
    "身份证号{mask_id}（已脱敏）。",
    "邮箱{mask_email}已完成验证。",
    "退款将在{n}个工作日内原路退回。",
    "如需开具增值税专用发票，请联系财务部。",
    "本月共处理投诉{n}件，满意度{pct}%。",
    "请勿向任何人透露验证码。",
    "时间戳{epoch}对应的日志已归档。",
    "单据编号{bad_id}已作废。",
    "参考编号{bad_card}，请勿重复提交。",
    "编号{bad_mobile}的工单已关闭。",
    "会员积分将于{year}年12月31日清零。",
    "邮编{zip}区域暂不支持次日达。",
    "{place}国庆期间游客众多。",
    "{company}今日发布公告。",
    "江南水乡的风景吸引了大量游客。",
    "请在{dotdate}前完成年度自查。",
    "节点OID为{oid}。",
    "颜色值{color}已应用到主题。",
    "服务地址{hostport}暂时不可用。",
    "马上就到，请稍候。",
    "高速公路因大雾临时封闭。",
    "周一至周五正常发货，节假日顺延。",
    "金融科技公司加强了数据合规建设。",
    "商品编码{sku}库存不足。",
    "批次号{order}的货物已入库。",
    "测试邮箱{placeholder_email}仅用于联调。",
    "请求ID：{uuid}。",
    "文件校验值{hash}。",
    "方向盘异响问题已提交工程师分析。",
    "白天气温较高，注意防暑。",
    "下单时间{ts}，支付方式：微信支付。",
    "银行卡尾号{last4}的交易已完成。",
    "雪花ID {snowflake} 已写入数据库。",
    "预计{dotdate}送达，请保持电话畅通。",
    "本次体检套餐价格为{amount}。",
    "境外测试号码{fict_nanp}仅用于演示。",
    "客服电话{svc400}全天候服务。",
    "发货单号{tracking}，签收时间{compact_ts}。",
    "商品价格{amount}，优惠券已抵扣。",
    "您的钱包余额不足，请先充值。",
]

EN_PI = [
    "Dear {ename}, thank you for contacting our support team.",
    "Customer {ename} called about order {order}; callback number {intl}.",
    "Please ship the replacement to {saddr}.",
    "Name: {ename}\nEmail: {email}\nPhone: {intl}",
    "Card number {card} was declined by the issuer.",
    "Ms. {ename} updated her mailing address to {saddr}.",
    "Mr. {ename} requested a refund to bank card {card}.",
    "Passport number: {passport}.",
    "HKID: {hkid}, verified in branch.",
    "Taiwan ID {twid} verified against the registry.",
    "Her Home Return Permit number is {hkmo}.",
    "DOB: {dob_en_slash}",
    "The applicant was born on {dob_en_long}.",
    "Diagnosis: {health_en}.",
    "Medical history includes {health_en}.",
    "Login from IP {ip4} at {ts}.",
    "IPv6 address {ip6} was blocked after repeated failures.",
    "Device MAC {mac} registered to the account.",
    "IMEI {imei} reported stolen.",
    "Advertising identifier idfa={idfa} must be deleted on request.",
    "Last known location: {gps}.",
    "Contact {ename} at {email} or {mobile}.",
    "Password: {pwd}",
    "API key {apikey} was found in a public repository and has been revoked.",
    "Bearer token: {jwt}",
    "Religion: {rel_en}",
    "Ethnicity: {eth_en}",
    "Vehicle VIN {vin}, plate {plate}.",
    "Supplier registration (USCC) {uscc}.",
    "Our customer in Shanghai, {ename}, can be reached on {mobile}.",
    "Emergency contact: {ename} ({intl}).",
    "Face template stored: face_feature={bio}",
    "Customer: {ename}; landline {landline}.",
    "Please confirm the ID number {id} provided by the applicant.",
    "CRM note: spoke with {ename} ({email}), prefers email.",
    "Billing address: {saddr}",
    "Hi {ename}, your verification code has been sent to {email}.",
    "Patient {ename} has a history of {health_en}.",
    "Tel: {us_local}",
    "Reach me at {intl} after 6 pm.",
    "Wire the deposit to account {card} under the name {ename}.",
    "Address on file: \"{saddr}\"",
    "MAC address {mac} and IP {ip4} were logged for the session.",
    "oaid: {oaid}; android_id={androidid}",
    "Temporary password \"{pwd}\" expires in 24 hours.",
    "Date of birth: {dob_iso}",
    "The delivery to {addr} for {ename} is delayed.",
    "Macau ID card {moid} was scanned at the counter.",
    "Mainland travel permit for Taiwan residents no. {twp} on file.",
    "Customer {ename} (mobile {mobile}) asked for an invoice.",
    "Geo: latitude {lat}, longitude {lng}.",
    "Fingerprint template: {bio_fp}",
]

EN_FILLER = [
    "Thank you for your patience.",
    "Your order {order} has been confirmed; total {amount_usd}.",
    "Tracking number {tracking}; expected delivery in 3-5 business days.",
    "Please do not reply to this automated message.",
    "Call our hotline {svc400} for assistance.",
    "Version {version} includes several bug fixes.",
    "For test purposes, use {placeholder_email}.",
    "For a demo line, dial {fict_nanp}.",
    "Request ID {uuid}.",
    "Invoice {invoice} is due on {dotdate}.",
    "Transaction {txn} settled successfully.",
    "Internal reference {bad_card}.",
    "Ticket {bad_id} was closed as duplicate.",
    "The card ending in {last4} was charged {amount_usd}.",
    "Your number {mask_mobile} has been verified.",
    "Server {hostport} returned 503; retrying.",
    "Event timestamp {epoch_ms}.",
    "Brand colour is {color}.",
    "SNMP OID {oid} is monitored.",
    "Checksum {hash}.",
    "The program started in {year}.",
    "Orders to ZIP {us_zip} ship free.",
    "Our office is closed on public holidays.",
    "We appreciate your business.",
    "The warehouse team is working through the backlog.",
    "Refunds are processed within {n} business days.",
    "Please keep this email for your records.",
    "We have escalated the issue to our logistics partner.",
    "This message was sent from a monitored mailbox.",
    "Our terms of service were updated on {dotdate}.",
    "Prices include VAT where applicable.",
    "Account {mask_email} was unsubscribed.",
    "Batch {compact_ts} finished with {n} records.",
    "Shipment {tracking} left the sorting centre.",
    "Snowflake id {snowflake} was reused by mistake.",
    "Reference code {bad_mobile} is internal only.",
    "The customer prefers to be contacted in the morning.",
    "Quarterly revenue grew by {pct}% year on year.",
    "The new release, v{version}, is available now.",
    "Please allow extra time during the holiday season.",
    "Payment of {amount_usd} received, thank you.",
    "Masked ID {mask_id} shown for privacy.",
    "Our support line {svc400} is open 24/7.",
    "The apple orchard tour was cancelled due to rain.",
]

MIXED_PI = [
    "Hi 王经理，客户{name}的mobile是{mobile}，please follow up today。",
    "FYI：用户email为{email}，ticket {order} 已 escalate 到 L2。",
    "Customer {ename} 来电，要求把收货地址改成{addr}。",
    "【CRM】name: {name} | 手机: {mobile} | 身份证: {id}",
    "请帮忙check一下IP {ip4} 是不是 VPN。",
    "login failed for user {email}，来源IP：{ip4}。",
    "Device info：IMEI {imei}，MAC {mac}。",
    "客户 DOB：{dob_iso}，ID No.：{id}。",
    "Passport No. {passport}，签发地：广东。",
    "快递 tracking 显示已签收，收件人 {name}，电话 {mobile}。",
    "Diagnosis：{health}，follow-up 两周后。",
    "新 API key：{apikey}，旧的请 revoke。",
    "overseas 客户电话 {intl}，请用英文沟通。",
    "香港客户HKID：{hkid}，已完成 KYC。",
    "车辆 plate {plate}，VIN {vin}，保险将于下月到期。",
    "定位 lat/lng：{gps}。",
    "OAID：{oaid}，用于归因分析。",
    "Address (EN)：{saddr}",
    "紧急联系人 Emergency contact：{name}（{mobile}）",
    "公司 USCC：{uscc}，contact：{landline}。",
    "bank card：{card}，持卡人 {name}。",
    "Token 已过期：{jwt}",
    "员工 {name} 的 ethnicity 字段为 {eth}。",
    "IPv6：{ip6}，region CN。",
    "TW ID：{twid}，台胞证：{twp}。",
    "password 重置为 {pwd}，请尽快修改。",
    "Macau ID 澳门身份证：{moid}",
    "港澳通行证 permit No.：{hkmo}",
    "religion 字段：{rel}",
    "face_feature 已入库：{bio}",
    "android_id={androidid}，idfa={idfa}",
]
MIXED_FILLER = [
    "Meeting 改到 3pm，请准时参加。",
    "PR #{n} 已 merge 到 main。",
    "订单 {order} refund 已处理。",
    "SLA 是 99.9%，本月达标。",
    "QPS 峰值 {n}，p99 latency {latency}ms。",
    "部署版本 {version}，rollback 方案已准备。",
    "hotfix 已上线，request_id {uuid}。",
    "运单 {tracking} 状态：in transit。",
    "发票 invoice {invoice} 已开具。",
    "Redis {hostport} 连接超时。",
    "测试账号 {placeholder_email} 不要用于生产。",
    "手机号已脱敏：{mask_mobile}",
    "流水号 txn {txn}，amount {amount}。",
    "周末 on-call 安排见附件。",
]

# Structured blocks (multi-line) per zh genre.
ZH_BLOCKS = {
    "order": ["订单编号：{order}\n下单时间：{ts}\n收货人：{name}\n联系电话：{mobile}\n收货地址：{addr}\n商品金额：{amount}\n"],
    "medical": ["门诊号：{mrn}\n姓名：{name}　性别：{gender}　年龄：{age}岁\n出生日期：{dob_zh}\n主诉：咳嗽、乏力{n}天。\n诊断：{health}\n既往史：{health}\n医师：{name}\n"],
    "hr": ["员工档案\n姓名：{name}\n性别：{gender}\n民族：{eth}\n出生日期：{dob_zh}\n身份证号：{id}\n手机：{mobile}\n邮箱：{email}\n户籍地址：{addr}\n工资卡：{card}\n宗教信仰：{rel}\n"],
    "delivery": ["【快递通知】您的快件{tracking}已到达{place}营业点，派件员{name}（{mobile}）正在派送，请保持电话畅通。\n"],
    "cs": ["客服：您好，请问您的手机号是多少？\n客户：{mobile}。\n客服：请提供一下身份证号码。\n客户：{id}\n"],
    "news": ["本报讯（记者{name}）{place}今日召开新闻发布会，{company}相关负责人出席。\n"],
}
# Genre affinity: regex over template text; a document prefers matching templates.
GENRE_KEYS = {
    "order": "收件|订单|快递|地址|发票|款项|尊敬|手机",
    "medical": "患者|诊断|病史|医保|家属|出生|民族|指纹|声纹|人脸|紧急",
    "hr": "员工|身份证|护照|银行卡|民族|宗教|出生|工号|邮箱|老师|同学|通行证|台胞",
    "delivery": "快递|收件|地址|来电|定位|紧急|车",
    "cs": "客户|来电|身份证|银行卡|密码|IP|登录|设备|IMEI|邮箱",
    "news": "车主|车架|合作方|信用代码|定位|IP|设备|台湾|香港|澳门",
    "email": "Dear|Hi |refund|Card|card|Password|password|Contact|token|API",
    "crm": "Customer|CRM|Contact|Emergency|Tel|DOB|Passport|HKID|Taiwan|Macau|Diagnosis|Patient|born",
    "shipping": "ship|address|Address|delivery|Billing|Contact|Vehicle|location|IMEI|MAC",
}

ZH_TITLES = {
    "order": "【订单确认】", "medical": "【门诊病历】", "hr": "【人事备注】",
    "delivery": "【配送通知】", "cs": "【客服通话记录】", "news": "【新闻简报】",
}
EN_BLOCKS = {
    "email": ["From: {ename} <{email}>\nTo: Customer Support Team\nSubject: Re: order {order}\n\n"],
    "crm": ["[CRM] {ts} note by agent #{n}\nCustomer: {ename}\nPhone: {intl}\nEmail: {email}\n"],
    "shipping": ["Shipping notice\nRecipient: {ename}\nAddress: {saddr}\nTracking: {tracking}\n"],
}

LOG_PI = [
    "user login success uid={uid} mobile={mobile_plain} ip={ip4} cost={latency}ms",
    "send sms to {mobile_plain}, template=SMS_{n}, biz_id={order}",
    "kyc verify name={name} idNo={id} result=PASS trace={hash16}",
    "bind card userId={uid} cardNo={card_plain} bank={bankname} amount={amount_plain}",
    "create order orderId={order} receiver={name} phone={mobile} addr={addr} total={amount_plain}",
    "device report imei={imei} mac={mac} android_id={androidid} os=Android14 app_ver={version}",
    "ios device report idfa={idfa} os=iOS17 app_ver={version}",
    "location update uid={uid} lng={lng}&lat={lat} accuracy={n}m",
    "geo fence hit uid={uid} point={gps}",
    "auth request client_id={hash16} password={pwd} grant_type=password",
    "outbound call header Authorization: Bearer {jwt}",
    "config loaded api_key={apikey} region=cn-hangzhou",
    "face verify user={uid} face_feature={bio} score=0.{n}",
    "email sent to={email} msg_id={uuid}",
    "client={ip6} path=/api/v2/feed status=200 cost={latency}ms",
    "vehicle check plate={plate} vin={vin} result=OK",
    "passport ocr passport_no={passport} name={ename} dob={dob_iso}",
    "callback tel={landline} ext={n}",
    "intl sms to={intl_e164} status=DELIVRD",
    "merchant register uscc={uscc} legal_person={name} tel={landline}",
    "cross-border user hkid={hkid} permit_no={hkmo}",
    "tw user twid={twid} tw_permit_no={twp}",
    "macau user macau_id={moid} verified=true",
    "medical record patient={name} diagnosis={health}",
    "profile update ethnicity={eth} religion={rel}",
    "profile update birthday={dob_iso} uid={uid}",
    "oaid={oaid} channel=huawei install_id={hash16}",
    "remote_addr={ip4} x_forwarded_for={ip4} path=/login",
    "fingerprint enroll user={uid} template={bio_fp}",
    "mysql slow query: SELECT * FROM user WHERE mobile='{mobile_plain}' took {latency}ms",
    "refund to card {card_plain} for order {order}",
    "wifi probe mac={mac} rssi=-{n}",
    "user {email} changed password to {pwd}",
]
LOG_NEG = [
    "GET /api/v1/orders/{order} 200 {latency}ms",
    "payment callback txn_id={txn} amount={amount_plain} status=SUCCESS",
    "cache miss key=order:{order} ttl=300",
    "connect to {hostport} ok, pool=20",
    "shipment created tracking_no={tracking} carrier=SF",
    "job finished batch={compact_ts} rows={n} elapsed={latency}ms",
    "generated id={snowflake}",
    "heartbeat ts={epoch_ms}",
    "app version={version} build={n}",
    "snmp trap oid={oid}",
    "risk check ref={bad_card} result=REJECT",
    "invoice issued invoice_no={invoice} amount={amount_plain}",
    "verify code sent to {mask_mobile}",
    "user {mask_email} subscribed",
    "idfa={zero_idfa} limit_ad_tracking=true",
    "theme color={color}",
    "legacy doc_no={bad_id} migrated",
    "route_code={bad_mobile} fallback=true",
    "hotline={svc400}",
    "retry {retry}/3 after {latency}ms",
    "etag={hash}",
    "report year={year} quarter=Q{n}",
    "order {order} paid {amount} at {ts}",
    "schedule next run at {epoch}",
    "sku={sku} stock={n}",
    "masked idcard={mask_id}",
    "test account {placeholder_email} skipped",
    "span_id={hash16} parent={hash16} duration={latency}ms",
    "upstream {hostport} status=502 trace={uuid}",
    "coupon applied amount={amount_plain} order={order}",
]

# ---------------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------------


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.r = random.Random(seed)
        self.cnt = Counter()        # positives produced (for balancing)
        self.neg = Counter()        # negatives produced, by kind
        self.fw = False             # allow full-width digits (Chinese prose)
        self.lang = "zh"
        self._slot_cache = {}
        self._tpl_cache = {}
        self._tpl_types = {}

    # -- segment helpers ------------------------------------------------------------------
    def P(self, text, typ):
        self.cnt[typ] += 1
        return (text, typ, None, None)

    def N(self, text, kind):
        self.neg[kind] += 1
        return (text, None, kind, None)

    def rdigits(self, n):
        r = self.r
        return "".join(r.choice("0123456789") for _ in range(n))

    def rhex(self, n, upper=False):
        s = "".join(self.r.choice("0123456789abcdef") for _ in range(n))
        return s.upper() if upper else s

    def ruuid(self, upper=False):
        h = self.rhex(32)
        h = h[:12] + "4" + h[13:16] + self.r.choice("89ab") + h[17:]
        s = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return s.upper() if upper else s

    def maybe_fw(self, s, p):
        if self.fw and self.r.random() < p:
            return s.translate(FW_DIGITS)
        return s

    # -- raw value generators ---------------------------------------------------------------
    def date_between(self, y0, y1):
        r = self.r
        start = dt.date(y0, 1, 1).toordinal()
        end = dt.date(y1, 12, 31).toordinal()
        return dt.date.fromordinal(r.randint(start, end))

    def raw_id(self, dob=None, male=None, force_x=None):
        r = self.r
        region = r.choice(REGION_CODES)
        dob = dob or self.date_between(1940, 2020)
        if force_x is None:
            force_x = r.random() < 0.12
        for _ in range(200):
            seq = r.randint(1, 999)
            if male is not None and (seq % 2 == 1) != male:
                seq = seq + 1 if seq < 999 else seq - 1
            body = f"{region}{dob:%Y%m%d}{seq:03d}"
            c = gb11643_check(body)
            if not force_x or c == "X":
                break
        if c == "X" and r.random() < 0.3:
            c = "x"
        return body + c

    def raw_id15(self):
        r = self.r
        dob = self.date_between(1940, 1984)
        return f"{r.choice(REGION_CODES)}{dob:%y%m%d}{r.randint(1, 999):03d}"

    def raw_mobile(self):
        return self.r.choice(MOBILE_PREFIXES) + self.rdigits(8)

    def fmt_mobile(self, m, style=None):
        r = self.r
        if style is None:
            x = r.random()
            style = ("plain" if x < 0.45 else "space" if x < 0.55 else "dash" if x < 0.63
                     else "p86s" if x < 0.73 else "p86" if x < 0.82 else "0086d" if x < 0.88
                     else "0086s" if x < 0.92 else "p86d")
        return {
            "plain": m,
            "space": f"{m[:3]} {m[3:7]} {m[7:]}",
            "dash": f"{m[:3]}-{m[3:7]}-{m[7:]}",
            "p86s": f"+86 {m[:3]} {m[3:7]} {m[7:]}",
            "p86": f"+86{m}",
            "p86d": f"+86-{m}",
            "0086d": f"0086-{m}",
            "0086s": f"0086 {m}",
        }[style]

    def raw_landline(self, style=None):
        r = self.r
        code = r.choice(LANDLINE_CODES)
        n = LANDLINE_AREAS[code]
        local = str(r.randint(2, 8)) + self.rdigits(n - 1)
        if style is None:
            style = r.choice(["dash", "dash", "dash", "paren", "space", "plus", "fparen", "paren_nos"])
        half = 4 if n == 8 else 3
        if style == "dash":
            return f"{code}-{local}"
        if style == "paren":
            return f"({code}) {local[:half]} {local[half:]}"
        if style == "paren_nos":
            return f"({code}){local}"
        if style == "fparen":
            return f"（{code}）{local}"
        if style == "space":
            return f"{code} {local[:half]} {local[half:]}"
        return f"+86 {code[1:]} {local}"

    def name_parts(self):
        r = self.r
        while True:
            if r.random() < 0.06:
                sur = r.choice(COMPOUND_SURNAMES)
            else:
                sur = r.choice(SURNAMES)
            k = 1 if r.random() < 0.4 else 2
            giv = [r.choice(GIVEN_CHARS) for _ in range(k)]
            han = sur[0] + "".join(g[0] for g in giv)
            if han in NONNAME_WORDS or any(w in han for w in NONNAME_WORDS):
                continue
            return han, sur[1], "".join(g[1] for g in giv)

    def raw_name(self):
        return self.name_parts()[0]

    def raw_ename(self):
        r = self.r
        x = r.random()
        if x < 0.65:
            return f"{r.choice(EN_FIRST)} {r.choice(EN_LAST)}"
        _, sur, giv = self.name_parts()
        if x < 0.85:
            return f"{giv.capitalize()} {sur.capitalize()}"
        return f"{sur.capitalize()} {giv.capitalize()}"

    def raw_email(self, pinyin=None):
        r = self.r
        if pinyin is None:
            _, sur, giv = self.name_parts()
        else:
            sur, giv = pinyin
        x = r.random()
        if x < 0.18:
            return f"{r.randint(10000, 3999999999)}@qq.com"
        if x < 0.3:
            local = f"{r.choice(EN_FIRST).lower()}.{r.choice(EN_LAST).lower()}"
        elif x < 0.5:
            local = f"{sur}{giv}{r.choice(['', str(r.randint(1, 99)), str(r.randint(1970, 2005))])}"
        elif x < 0.65:
            local = f"{giv}.{sur}"
        elif x < 0.8:
            local = f"{sur}_{giv}{r.randint(1, 999)}"
        else:
            local = f"{sur[0]}{giv}{r.randint(80, 99)}"
        if r.random() < 0.3:
            dom = r.choice(COMPANY_WORDS) + r.choice(["tech", "", "-group", "soft"]) + r.choice(COMPANY_TLDS)
        else:
            dom = r.choice(EMAIL_FREE)
        return f"{local}@{dom}"

    def raw_card(self, group=None):
        r = self.r
        bin_, ln = r.choice(BINS)
        if bin_.startswith("62") and r.random() < 0.3:
            ln = r.choice([16, 17, 18, 19])
        num = luhn_complete(bin_ + self.rdigits(ln - len(bin_) - 1))
        if group is None:
            group = r.random() < 0.2
        if group:
            num = " ".join(num[i:i + 4] for i in range(0, len(num), 4))
        return num

    def raw_passport(self):
        r = self.r
        if r.random() < 0.6:
            return "E" + self.rdigits(8)
        return "E" + r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + self.rdigits(7)

    def raw_hkmo(self):
        return self.r.choice("HHMC") + self.rdigits(8)

    def raw_hkid(self):
        r = self.r
        pre = r.choice("ABCDEGHKMPRSVYZ") if r.random() < 0.9 else r.choice(["WX", "XA", "XB", "XC"])
        d = self.rdigits(6)
        c = hkid_check(pre, d)
        x = r.random()
        if x < 0.6:
            return f"{pre}{d}({c})"
        if x < 0.85:
            return f"{pre}{d}{c}"
        return f"{pre}{d}（{c}）" if self.lang == "zh" else f"{pre}{d} ({c})"

    def raw_moid(self):
        return f"{self.r.choice('157')}{self.rdigits(6)}({self.rdigits(1)})"

    def raw_twid(self):
        r = self.r
        letter = r.choice("ABCDEFGHJKLMNPQRTUVWXZ")
        d = r.choice("12") + self.rdigits(7)
        return letter + d + twid_check(letter, d)

    def raw_uscc(self):
        r = self.r
        head = r.choice(["91", "91", "91", "92", "12", "52", "93", "11"])
        region = r.choice(REGION_CODES)
        chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            body8 = "".join(r.choice("0123456789") if r.random() < 0.8 else r.choice(chars[10:]) for _ in range(8))
            org = body8 + orgcode_check(body8)
            if all(c in chars for c in org):
                break
        body = head + region + org
        return body + uscc_check(body)

    def raw_plate(self):
        r = self.r
        prov = r.choice(PROVINCE_ABBR)
        city = r.choice("ABCDEFGH") if r.random() < 0.8 else r.choice(PLATE_LETTERS)
        x = r.random()
        if x < 0.65:
            chars = [r.choice("0123456789") for _ in range(5)]
            for pos in r.sample(range(5), r.choice([0, 0, 1, 1, 2])):
                chars[pos] = r.choice(PLATE_LETTERS)
            rest = "".join(chars)
        elif x < 0.9:
            rest = r.choice("DF") + r.choice(PLATE_LETTERS + "0123456789") + self.rdigits(4)
        else:
            rest = self.rdigits(5) + r.choice("DF")
        dot = "·" if r.random() < 0.25 else ""
        return f"{prov}{city}{dot}{rest}"

    def raw_vin(self):
        r = self.r
        wmi = r.choice(VIN_WMI)
        vds = "".join(r.choice(VIN_CHARS) for _ in range(5))
        vis = r.choice(VIN_YEAR) + r.choice(VIN_CHARS) + self.rdigits(6)
        v = wmi + vds + "0" + vis
        return v[:8] + vin_check(v) + v[9:]

    def raw_ip4(self):
        r = self.r
        x = r.random()
        if x < 0.2:
            return f"192.168.{r.randint(0, 255)}.{r.randint(2, 254)}"
        if x < 0.32:
            return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 254)}"
        if x < 0.38:
            return f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(2, 254)}"
        return f"{r.choice(IPV4_PUBLIC_FIRST)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def raw_ip6(self):
        r = self.r
        if r.random() < 0.15:
            groups = ["fe80", "0", "0", "0"] + [self.rhex(4) for _ in range(4)]
        else:
            pre = r.choice(IPV6_PREFIXES).split(":")
            groups = pre + [self.rhex(r.choice([3, 4])) for _ in range(8 - len(pre))]
            if r.random() < 0.5:
                k = r.randint(2, 4)
                start = r.randint(len(pre), 8 - k)
                for i in range(start, start + k):
                    groups[i] = "0"
        addr = ipaddress.IPv6Address(":".join(groups))
        x = r.random()
        if x < 0.35:
            return addr.exploded
        if x < 0.5:
            return ":".join(g.lstrip("0") or "0" for g in addr.exploded.split(":"))
        s = addr.compressed
        return s.upper() if r.random() < 0.1 else s

    def raw_mac(self):
        r = self.r
        oui = r.choice(MAC_OUIS)
        octs = oui.split(":") + [self.rhex(2, upper=True) for _ in range(3)]
        x = r.random()
        if x < 0.5:
            return ":".join(octs)
        if x < 0.75:
            return ":".join(octs).lower()
        if x < 0.92:
            return "-".join(octs)
        h = "".join(octs).lower()
        return f"{h[:4]}.{h[4:8]}.{h[8:]}"

    def raw_imei(self):
        return luhn_complete(self.r.choice(TACS) + self.rdigits(12))

    def raw_oaid(self):
        x = self.r.random()
        if x < 0.5:
            return self.ruuid()
        if x < 0.75:
            return self.rhex(16)
        return self.rhex(64)

    def raw_latlng(self):
        r = self.r
        lat, lng = r.choice(CITY_COORDS)
        nd = r.choice([4, 5, 6])
        lat = f"{lat + r.uniform(-0.2, 0.2):.{nd}f}"
        lng = f"{lng + r.uniform(-0.2, 0.2):.{nd}f}"
        return lat, lng

    def raw_gps_pair(self):
        r = self.r
        lat, lng = self.raw_latlng()
        x = r.random()
        if x < 0.5:
            return f"{lat}, {lng}"
        if x < 0.75:
            return f"{lat},{lng}"
        if x < 0.88:
            return f"{lng},{lat}"
        return f"{lat}°N, {lng}°E"

    def raw_intl(self):
        r = self.r
        x = r.random()

        def nxx():
            while True:
                v = f"{r.randint(2, 9)}{r.randint(0, 9)}{r.randint(0, 9)}"
                if v[1:] != "11" and v != "555":
                    return v
        if x < 0.35:
            a, b, c = r.choice(INTL_NANP), nxx(), self.rdigits(4)
            return r.choice([f"+1 {a}-{b}-{c}", f"+1 ({a}) {b}-{c}", f"+1-{a}-{b}-{c}", f"+1 {a} {b} {c}"])
        if x < 0.5:
            if r.random() < 0.5:
                return f"+44 20 {r.choice('378')}{self.rdigits(3)} {r.randint(1000, 9999)}"
            return f"+44 7{r.choice('3456789')}{self.rdigits(2)} {self.rdigits(6)}"
        if x < 0.6:
            if r.random() < 0.5:
                return f"+81 3-{r.randint(1000, 9999)}-{self.rdigits(4)}"
            return f"+81 90-{r.randint(1000, 9999)}-{self.rdigits(4)}"
        if x < 0.72:
            return f"+852 {r.choice('2356789')}{self.rdigits(3)} {self.rdigits(4)}"
        if x < 0.76:
            return f"+853 6{self.rdigits(3)} {self.rdigits(4)}"
        if x < 0.82:
            return f"+886 9{self.rdigits(2)} {self.rdigits(3)} {self.rdigits(3)}"
        if x < 0.88:
            return f"+65 {r.choice('689')}{self.rdigits(3)} {self.rdigits(4)}"
        if x < 0.92:
            return f"+49 30 {r.randint(2, 9)}{self.rdigits(7)}"
        if x < 0.96:
            return f"+33 1 {self.rdigits(2)} {self.rdigits(2)} {self.rdigits(2)} {self.rdigits(2)}"
        return f"+61 2 {r.randint(8, 9)}{self.rdigits(3)} {self.rdigits(4)}"

    def raw_us_local(self):
        r = self.r
        while True:
            b = f"{r.randint(2, 9)}{r.randint(0, 9)}{r.randint(0, 9)}"
            if b[1:] != "11" and b != "555":
                break
        return f"({r.choice(INTL_NANP)}) {b}-{self.rdigits(4)}"

    def raw_addr(self):
        r = self.r
        if r.random() < 0.12:
            prov, city, county, town = r.choice(ADDR_COUNTY_TOWNS)
            if r.random() < 0.5:
                return f"{prov}{city}{county}{town}{r.choice(VILLAGE_WORDS)}{r.randint(1, 200)}号"
            return f"{prov}{city}{county}{town}{r.choice(ROAD_WORDS)}{r.choice(ROAD_SUFFIX)}{r.randint(1, 800)}号"
        prov, city, dists = r.choice(ADDR_REGIONS)
        dist = r.choice(dists)
        head = f"{prov}{city}{dist}" if (prov == "" or r.random() < 0.7) else f"{city}{dist}"
        road = f"{r.choice(ROAD_WORDS)}{r.choice(ROAD_SUFFIX)}{r.randint(1, 999)}号"
        x = r.random()
        if x < 0.35:
            tail = ""
        elif x < 0.6:
            tail = f"{r.randint(1, 30)}栋{r.randint(1, 6)}单元{r.randint(1, 33)}{r.randint(1, 8):02d}室"
        elif x < 0.8:
            tail = f"{r.choice(COMMUNITIES)}{r.randint(1, 30)}号楼{r.randint(1, 28)}{r.randint(1, 6):02d}室"
        else:
            tail = f"{r.randint(1, 40)}层"
        return head + road + tail

    def raw_saddr(self):
        r = self.r
        x = r.random()
        if x < 0.55:
            city, st, z = r.choice(US_CITIES)
            apt = f", Apt {r.randint(1, 30)}{r.choice('ABCD')}" if r.random() < 0.25 else ""
            return f"{r.randint(10, 9999)} {r.choice(US_STREETS)}{apt}, {city}, {st} {z}"
        if x < 0.85:
            street, city, pc = r.choice(UK_ADDR)
            num = str(r.randint(1, 300)) + (r.choice("AB") if r.random() < 0.15 else "")
            return f"{num} {street}, {city} {pc}"
        return r.choice(OTHER_ADDR)

    def raw_dob(self):
        return self.date_between(1940, 2012)

    def fmt_dob_zh(self, d):
        r = self.r
        x = r.random()
        if x < 0.4:
            return f"{d:%Y-%m-%d}"
        if x < 0.75:
            return f"{d.year}年{d.month}月{d.day}日"
        if x < 0.9:
            return f"{d:%Y/%m/%d}"
        return f"{d:%Y.%m.%d}"

    def fmt_dob_en(self, d, long=None):
        r = self.r
        months = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
        if long is None:
            long = r.random() < 0.5
        if long:
            if r.random() < 0.6:
                return f"{months[d.month - 1]} {d.day}, {d.year}"
            return f"{d.day} {months[d.month - 1]} {d.year}"
        return f"{d:%d/%m/%Y}" if r.random() < 0.5 else f"{d:%m/%d/%Y}"

    def raw_pwd(self):
        r = self.r
        alpha = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
        spec = "!@#$%^*_-+."
        n = r.randint(8, 16)
        s = [r.choice(alpha), r.choice("23456789"), r.choice(alpha.upper()[:24])]
        s += [r.choice(alpha + "0123456789" + spec) for _ in range(n - 3)]
        if r.random() < 0.6:
            s.append(r.choice(spec))
        r.shuffle(s)
        if s[0] in spec:
            s[0] = r.choice(alpha)
        if s[-1] in ".-":
            s[-1] = r.choice("0123456789")
        return "".join(s)

    def raw_apikey(self):
        r = self.r
        an = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        x = r.random()
        if x < 0.35:
            return "sk_live_" + "".join(r.choice(an) for _ in range(24))
        if x < 0.55:
            return "ghp_" + "".join(r.choice(an) for _ in range(36))
        if x < 0.75:
            return "AKID" + "".join(r.choice(an) for _ in range(32))
        if x < 0.9:
            return "LTAI" + "".join(r.choice(an) for _ in range(20))
        return "sk-" + "".join(r.choice(an) for _ in range(48))

    def raw_jwt(self):
        r = self.r

        def b64(b):
            return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
        hdr = b64(json.dumps({"alg": r.choice(["HS256", "RS256"]), "typ": "JWT"}, separators=(",", ":")).encode())
        iat = 1760000000 + r.randint(0, 9_000_000)
        payload = b64(json.dumps({"sub": str(r.randint(100000, 99999999)), "iat": iat, "exp": iat + 7200},
                                 separators=(",", ":")).encode())
        sig = b64(r.randbytes(32))
        return f"{hdr}.{payload}.{sig}"

    def raw_bio(self):
        return base64.b64encode(self.r.randbytes(self.r.choice([48, 72, 96, 128]))).decode()

    def raw_bio_fp(self):
        return "464D5200203230000000" + self.rhex(self.r.choice([60, 100, 140]), upper=True)

    # -- negative value generators ----------------------------------------------------------
    def honest_digits(self, make):
        for _ in range(100):
            s = make()
            if not digits_look_valid(s):
                return s
        raise AssertionError("could not build negative")

    def neg_date(self):
        return self.date_between(2024, 2026)

    def raw_order(self):
        d = self.neg_date()
        return self.honest_digits(lambda: f"{d:%Y%m%d}" + self.rdigits(self.r.choice([10, 11, 12])))

    def raw_tracking(self):
        r = self.r
        x = r.random()
        if x < 0.3:
            return "SF" + self.rdigits(13)
        if x < 0.45:
            return "YT" + self.rdigits(13)
        if x < 0.55:
            return "JT" + self.rdigits(13)
        if x < 0.65:
            return "JD" + self.rdigits(15)
        return self.honest_digits(lambda: r.choice(["773", "758", "462", "780", "98"]) + self.rdigits(r.choice([9, 10, 11, 12])))

    def raw_bad_id(self):
        r = self.r
        for _ in range(100):
            if r.random() < 0.65:
                good = self.raw_id()
                body = good[:17]
            else:
                body = f"{self.neg_date():%Y%m%d}" + self.rdigits(9)
            right = gb11643_check(body)
            wrong = r.choice([c for c in "0123456789X" if c != right])
            s = body + wrong
            if not digits_look_valid(s):
                return s
        raise AssertionError

    def raw_bad_card(self):
        r = self.r
        for _ in range(100):
            if r.random() < 0.6:
                bin_, ln = r.choice(BINS[:20])
                good = luhn_complete(bin_ + self.rdigits(ln - 7))
            else:
                good = luhn_complete(str(r.randint(1, 9)) + self.rdigits(r.choice([15, 16, 17, 18])))
            s = good[:-1] + str((int(good[-1]) + r.randint(1, 9)) % 10)
            if not digits_look_valid(s):
                return s
        raise AssertionError

    def raw_bad_mobile(self):
        return self.r.choice(BAD_MOBILE_PREFIXES) + self.rdigits(8)

    def raw_ts(self):
        r = self.r
        d = dt.datetime(2025, 1, 1) + dt.timedelta(seconds=r.randint(0, 700 * 86400))
        ms = r.randint(0, 999)
        x = r.random()
        if x < 0.5:
            return f"{d:%Y-%m-%d %H:%M:%S}.{ms:03d}"
        if x < 0.8:
            return f"{d:%Y-%m-%d %H:%M:%S}"
        return f"{d:%Y-%m-%dT%H:%M:%S}+08:00"

    def raw_snowflake(self):
        return self.honest_digits(lambda: "1" + str(self.r.randint(7, 9)) + self.rdigits(17))

    # -- slots ----------------------------------------------------------------------------------
    # Positive slots
    def s_id(self):
        return self.P(self.maybe_fw(self.raw_id(), 0.03), "cn_resident_id")

    def s_id15(self):
        return self.P(self.raw_id15(), "cn_resident_id")

    def s_mobile(self):
        m = self.raw_mobile()
        if self.lang == "en":
            s = self.fmt_mobile(m, self.r.choice(["p86s", "p86", "p86d", "0086d", "plain"]))
        else:
            s = self.fmt_mobile(m)
        return self.P(self.maybe_fw(s, 0.06), "cn_mobile")

    def s_mobile_plain(self):
        return self.P(self.raw_mobile(), "cn_mobile")

    def s_landline(self):
        return self.P(self.maybe_fw(self.raw_landline(), 0.03), "cn_landline")

    def s_email(self):
        return self.P(self.raw_email(), "email")

    def s_card(self):
        return self.P(self.maybe_fw(self.raw_card(), 0.02), "bank_card")

    def s_card_plain(self):
        return self.P(self.raw_card(group=False), "bank_card")

    def s_passport(self):
        return self.P(self.raw_passport(), "cn_passport")

    def s_hkmo(self):
        return self.P(self.raw_hkmo(), "hk_macau_permit")

    def s_twp(self):
        return self.P(self.rdigits(8), "tw_permit")

    def s_hkid(self):
        return self.P(self.raw_hkid(), "hk_id")

    def s_moid(self):
        return self.P(self.raw_moid(), "mo_id")

    def s_twid(self):
        return self.P(self.raw_twid(), "tw_id")

    def s_uscc(self):
        return self.P(self.raw_uscc(), "cn_uscc")

    def s_plate(self):
        return self.P(self.raw_plate(), "cn_license_plate")

    def s_vin(self):
        return self.P(self.raw_vin(), "vin")

    def s_ip4(self):
        return self.P(self.raw_ip4(), "ipv4")

    def s_ip6(self):
        return self.P(self.raw_ip6(), "ipv6")

    def s_mac(self):
        return self.P(self.raw_mac(), "mac_address")

    def s_imei(self):
        return self.P(self.raw_imei(), "imei")

    def s_idfa(self):
        return self.P(self.ruuid(upper=True), "device_id")

    def s_oaid(self):
        return self.P(self.raw_oaid(), "device_id")

    def s_androidid(self):
        return self.P(self.rhex(16), "device_id")

    def s_gps(self):
        return self.P(self.raw_gps_pair(), "gps_coordinate")

    def s_lat(self):
        lat, _ = self.raw_latlng()
        return self.P(lat, "gps_coordinate")

    def s_lng(self):
        _, lng = self.raw_latlng()
        return self.P(lng, "gps_coordinate")

    def s_intl(self):
        return self.P(self.raw_intl(), "phone_intl")

    def s_intl_e164(self):
        return self.P(re.sub(r"[^\d+]", "", self.raw_intl()), "phone_intl")

    def s_us_local(self):
        return self.P(self.raw_us_local(), "phone_intl")

    def s_name(self):
        return self.P(self.raw_name(), "person_name")

    def s_ename(self):
        return self.P(self.raw_ename(), "person_name")

    def s_addr(self):
        return self.P(self.raw_addr(), "cn_address")

    def s_saddr(self):
        return self.P(self.raw_saddr(), "street_address")

    def s_dob_zh(self):
        return self.P(self.fmt_dob_zh(self.raw_dob()), "date_of_birth")

    def s_dob_iso(self):
        return self.P(f"{self.raw_dob():%Y-%m-%d}", "date_of_birth")

    def s_dob_en_slash(self):
        return self.P(self.fmt_dob_en(self.raw_dob(), long=False), "date_of_birth")

    def s_dob_en_long(self):
        return self.P(self.fmt_dob_en(self.raw_dob(), long=True), "date_of_birth")

    def s_eth(self):
        r = self.r
        return self.P("汉族" if r.random() < 0.35 else r.choice(ETHNICITIES), "ethnicity")

    def s_eth_en(self):
        return self.P(self.r.choice(ETHNICITIES_EN), "ethnicity")

    def s_rel(self):
        return self.P(self.r.choice(RELIGIONS), "religion")

    def s_rel_en(self):
        return self.P(self.r.choice(RELIGIONS_EN), "religion")

    def s_health(self):
        return self.P(self.r.choice(HEALTH_ZH), "health")

    def s_health_en(self):
        return self.P(self.r.choice(HEALTH_EN), "health")

    def s_bio(self):
        return self.P(self.raw_bio(), "biometric")

    def s_bio_fp(self):
        return self.P(self.raw_bio_fp(), "biometric")

    def s_pwd(self):
        return self.P(self.raw_pwd(), "credential")

    def s_apikey(self):
        return self.P(self.raw_apikey(), "credential")

    def s_jwt(self):
        return self.P(self.raw_jwt(), "credential")

    # Negative slots (hard negatives, counted)
    def s_order(self):
        return self.N(self.raw_order(), "order_no")

    def s_ts(self):
        return self.N(self.raw_ts(), "timestamp")

    def s_epoch(self):
        return self.N(str(self.r.randint(1735689600, 1798761600)), "epoch")

    def s_epoch_ms(self):
        return self.N(str(self.r.randint(1735689600000, 1798761600000)), "epoch_ms")

    def s_compact_ts(self):
        d = dt.datetime(2025, 1, 1) + dt.timedelta(seconds=self.r.randint(0, 700 * 86400))
        return self.N(f"{d:%Y%m%d%H%M%S}", "compact_timestamp")

    def s_tracking(self):
        return self.N(self.raw_tracking(), "tracking_no")

    def s_amount(self):
        r = self.r
        v = r.randint(100, 99999999) / 100
        x = r.random()
        if x < 0.4:
            s = f"¥{v:,.2f}"
        elif x < 0.6:
            s = f"￥{v:.2f}"
        elif x < 0.8:
            s = f"{v:.2f}元"
        else:
            s = f"RMB {v:,.2f}"
        return self.N(s, "amount")

    def s_amount_usd(self):
        return self.N(f"${self.r.randint(100, 999999) / 100:,.2f}", "amount")

    def s_amount_plain(self):
        return self.N(f"{self.r.randint(100, 9999999999) / 100:.2f}", "amount")

    def s_invoice(self):
        r = self.r
        x = r.random()
        if x < 0.4:
            s = f"INV-{r.randint(2024, 2026)}-{r.randint(1, 999999):06d}"
        elif x < 0.7:
            s = self.rdigits(8)
        else:
            s = self.honest_digits(lambda: f"{r.randint(24, 26)}{r.choice(['44', '31', '11', '33'])}2000000" + self.rdigits(9))
        return self.N(s, "invoice_no")

    def s_txn(self):
        r = self.r
        if r.random() < 0.5:
            d = self.neg_date()
            s = f"4200{self.rdigits(6)}{d:%Y%m%d}{self.rdigits(10)}"
        else:
            s = f"TXN{self.rdigits(20)}"
        return self.N(s, "transaction_id")

    def s_bad_id(self):
        return self.N(self.raw_bad_id(), "bad_check_id")

    def s_bad_card(self):
        return self.N(self.raw_bad_card(), "luhn_fail_number")

    def s_bad_mobile(self):
        return self.N(self.raw_bad_mobile(), "unallocated_mobile")

    def s_version(self):
        r = self.r
        x = r.random()
        if x < 0.35:
            s = f"v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)}.{r.randint(0, 200)}"
        elif x < 0.7:
            s = f"{r.randint(1, 5)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(1, 300)}"
        else:
            s = f"{r.randint(1, 12)}.{r.randint(0, 20)}.{r.randint(0, 99)}"
        return self.N(s, "version")

    def s_oid(self):
        return self.N(self.r.choice(["1.3.6.1.4.1.2011", "1.3.6.1.2.1.1.3.0", "1.2.840.113549.1.1.11",
                                     "2.5.4.3", "1.3.6.1.4.1.311.21.7", "1.3.6.1.2.1.2.2.1.10"]), "oid")

    def s_dotdate(self):
        d = self.neg_date()
        return self.N(self.r.choice([f"{d:%Y.%m.%d}", f"{d:%Y-%m-%d}", f"{d.year}年{d.month}月{d.day}日" if self.lang == "zh" else f"{d:%Y/%m/%d}"]), "date")

    def s_future_date(self):
        d = self.date_between(2027, 2035)
        return self.N(f"{d:%Y-%m-%d}", "date")

    def s_hash(self):
        return self.N(self.rhex(self.r.choice([32, 40, 64])), "hash")

    def s_hash16(self):
        return self.N(self.rhex(16), "hex_id")

    def s_uuid(self):
        return self.N(self.ruuid(upper=self.r.random() < 0.2), "uuid")

    def s_zero_idfa(self):
        return self.N("00000000-0000-0000-0000-000000000000", "zero_device_id")

    def s_mask_mobile(self):
        m = self.raw_mobile()
        return self.N(self.r.choice([f"{m[:3]}****{m[7:]}", f"{m[:3]}****{m[7:]}", f"*******{m[7:]}"]), "masked")

    def s_mask_id(self):
        i = self.raw_id()
        return self.N(self.r.choice([f"{i[:6]}********{i[14:]}", f"{i[:3]}***********{i[14:]}", f"{i[0]}****************{i[-1]}"]), "masked")

    def s_mask_email(self):
        e = self.raw_email()
        return self.N(e[0] + "***" + e[e.index("@"):], "masked")

    def s_last4(self):
        return self.N(self.rdigits(4), "masked")

    def s_svc400(self):
        r = self.r
        if r.random() < 0.7:
            s = f"400-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
        else:
            s = f"800-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
        if r.random() < 0.3:
            s = s.replace("-", "")
        return self.N(s, "service_number")

    def s_hostport(self):
        r = self.r
        host = r.choice(["localhost", "db-master.internal", "redis-01.prod.local", "api.gateway.svc",
                         "mq-2.cluster.local", "es-node-3"])
        return self.N(f"{host}:{r.choice([80, 443, 3306, 6379, 8080, 9092, 9200, 5432, 27017])}", "host_port")

    def s_fict_nanp(self):
        r = self.r
        a = r.choice(INTL_NANP)
        c = f"01{r.randint(0, 99):02d}"
        return self.N(r.choice([f"+1 {a}-555-{c}", f"({a}) 555-{c}", f"555-{c}"]), "fictional_phone")

    def s_placeholder_email(self):
        return self.N(self.r.choice(["user@example.com", "test@example.com", "noreply@example.org",
                                     "john.doe@example.net", "foo@example.com"]), "placeholder_email")

    def s_color(self):
        return self.N("#" + self.rhex(6), "css_color")

    def s_year(self):
        return self.N(str(self.r.choice([1999, 2000, 2008, 2015, 2020, 2024, 2025, 2026])), "year")

    def s_zip(self):
        return self.N(self.r.choice(["100020", "518057", "200120", "310012", "510620", "610041", "430074"]), "zip_code")

    def s_us_zip(self):
        return self.N(self.r.choice(["94043", "10001", "98101", "60601", "02108"]), "zip_code")

    def s_sku(self):
        return self.N(f"SKU{self.rdigits(8)}", "sku")

    def s_snowflake(self):
        return self.N(self.raw_snowflake(), "snowflake_id")

    def s_company(self):
        return self.N(self.r.choice(COMPANIES), "organisation")

    def s_place(self):
        return self.N(self.r.choice(PLACES), "place_name")

    # Plain (uncounted) slots
    def s_uid(self):
        return str(self.r.randint(10000000, 99999999))

    def s_retry(self):
        return str(self.r.randint(1, 3))

    def s_n(self):
        return str(self.r.randint(1, 99))

    def s_pct(self):
        return str(self.r.randint(60, 99))

    def s_age(self):
        return str(self.r.randint(3, 90))

    def s_latency(self):
        return str(self.r.randint(1, 3000))

    def s_gender(self):
        return self.r.choice(["男", "女"])

    def s_province(self):
        return self.r.choice(["广东", "浙江", "四川", "湖南", "河南", "山东", "江苏", "福建"])

    def s_bankname(self):
        return self.r.choice(BANKS)

    def s_empno(self):
        return f"E{self.r.randint(10000, 99999)}"

    def s_mrn(self):
        return f"MZ{self.rdigits(10)}"

    # -- template rendering -----------------------------------------------------------------
    def tokens(self, tpl):
        t = self._tpl_cache.get(tpl)
        if t is None:
            t = TEMPLATE_RE.split(tpl)
            self._tpl_cache[tpl] = t
        return t

    def slot(self, name):
        f = self._slot_cache.get(name)
        if f is None:
            f = getattr(self, "s_" + name)
            self._slot_cache[name] = f
        return f()

    def render(self, tpl, doc):
        toks = self.tokens(tpl)
        for i, tok in enumerate(toks):
            if i % 2 == 0:
                if tok:
                    doc.t(tok)
            else:
                doc.add(self.slot(tok))

    def render_segs(self, tpl):
        d = Doc()
        self.render(tpl, d)
        return d.parts

    def tpl_types(self, tpl):
        t = self._tpl_types.get(tpl)
        if t is None:
            types = set()
            for i, tok in enumerate(self.tokens(tpl)):
                if i % 2 == 1:
                    typ = SLOT_TYPES.get(tok)
                    if typ:
                        types.add(typ)
            t = sorted(types)
            self._tpl_types[tpl] = t
        return t

    def pick_balanced(self, templates):
        """Pick a template, favouring those that produce the least-represented types."""
        r = self.r
        by_type = {}
        for tpl in templates:
            for typ in self.tpl_types(tpl):
                by_type.setdefault(typ, []).append(tpl)
        types = sorted(by_type)
        weights = [1.0 / (1 + self.cnt[t]) for t in types]
        typ = r.choices(types, weights)[0]
        return r.choice(by_type[typ])


# slot name -> PI type (for balancing)
SLOT_TYPES = {
    "id": "cn_resident_id", "id15": "cn_resident_id", "mobile": "cn_mobile", "mobile_plain": "cn_mobile",
    "landline": "cn_landline", "email": "email", "card": "bank_card", "card_plain": "bank_card",
    "passport": "cn_passport", "hkmo": "hk_macau_permit", "twp": "tw_permit", "hkid": "hk_id",
    "moid": "mo_id", "twid": "tw_id", "uscc": "cn_uscc", "plate": "cn_license_plate", "vin": "vin",
    "ip4": "ipv4", "ip6": "ipv6", "mac": "mac_address", "imei": "imei", "idfa": "device_id",
    "oaid": "device_id", "androidid": "device_id", "gps": "gps_coordinate", "lat": "gps_coordinate",
    "lng": "gps_coordinate", "intl": "phone_intl", "intl_e164": "phone_intl", "us_local": "phone_intl",
    "name": "person_name", "ename": "person_name", "addr": "cn_address", "saddr": "street_address",
    "dob_zh": "date_of_birth", "dob_iso": "date_of_birth", "dob_en_slash": "date_of_birth",
    "dob_en_long": "date_of_birth", "eth": "ethnicity", "eth_en": "ethnicity", "rel": "religion",
    "rel_en": "religion", "health": "health", "health_en": "health", "bio": "biometric",
    "bio_fp": "biometric", "pwd": "credential", "apikey": "credential", "jwt": "credential",
}

# ---------------------------------------------------------------------------------------------
# Document builders
# ---------------------------------------------------------------------------------------------


def build_prose(g: Gen, lang: str, target_chars: int) -> Doc:
    r = g.r
    d = Doc()
    g.lang = "en" if lang == "en" else "zh"
    g.fw = lang == "zh"
    if lang == "zh":
        pi_t, fill_t = ZH_PI, ZH_FILLER
        genre = r.choice(list(ZH_BLOCKS))
        d.t(ZH_TITLES[genre])
        g.render("{dotdate}\n\n", d)
        blocks = ZH_BLOCKS[genre]
        para_sep, sent_sep = "\n\n", ""
        prefix = ["客服：", "客户："] if genre == "cs" else None
    elif lang == "en":
        pi_t, fill_t = EN_PI, EN_FILLER
        genre = r.choice(list(EN_BLOCKS))
        blocks = EN_BLOCKS[genre]
        para_sep, sent_sep = "\n\n", " "
        prefix = None
    else:
        pi_t, fill_t = MIXED_PI + ZH_PI[::3] + EN_PI[::3], MIXED_FILLER + ZH_FILLER[::4] + EN_FILLER[::4]
        blocks = [b[0] for b in ZH_BLOCKS.values()][:2] + [EN_BLOCKS["crm"][0]]
        para_sep, sent_sep = "\n", "\n"
        prefix = None
    if lang != "mixed":
        pat = re.compile(GENRE_KEYS[genre])
        genre_t = [t for t in pi_t if pat.search(t)]
    else:
        genre_t = pi_t
    ends = "。！？；\n.!?;" if lang != "en" else ".!?\n"
    turn = 0
    while d.chars < target_chars:
        x = r.random()
        if x < 0.1:
            g.render(r.choice(blocks), d)
            d.t(para_sep)
            continue
        n = r.randint(2, 6)
        for i in range(n):
            if prefix:
                d.t(prefix[turn % 2])
                turn += 1
            if r.random() < 0.5:
                tpl = g.pick_balanced(genre_t if r.random() < 0.6 else pi_t)
            else:
                tpl = r.choice(fill_t)
            g.render(tpl, d)
            if d.parts[-1][0][-1:] not in ends:
                # a value ends the sentence: end the line so it cannot merge with the next one
                d.t("\n")
            elif prefix:
                d.t("\n")
            elif i < n - 1:
                d.t(sent_sep)
        d.t(para_sep)
    if lang == "en":
        d.t("Best regards,\nCustomer Support Team\n")
    return d


LOG_LEVELS = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
LOG_LOGGERS = ["c.x.order.OrderService", "c.x.user.UserController", "c.x.pay.PayCallback",
               "c.x.risk.RiskEngine", "c.x.device.ReportHandler", "c.x.notify.SmsSender"]
LOG_SVCS = ["order-svc", "user-svc", "pay-svc", "risk-svc", "device-svc", "notify-svc"]
UAS = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
       "Mozilla/5.0 (Linux; Android 14; 23078RKD5C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.5993.111 Mobile Safari/537.36",
       "okhttp/4.12.0", "MicroMessenger/8.0.44.2502"]


def log_json_fragment(g: Gen):
    r = g.r
    x = r.random()
    if x < 0.4:
        obj = {"name": PV(g.s_name()), "mobile": PV(g.s_mobile_plain()), "idCard": PV(g.s_id())}
    elif x < 0.7:
        obj = {"receiver": {"name": PV(g.s_name()), "phone": PV(g.s_mobile_plain()), "addr": PV(g.s_addr())},
               "orderId": NV(g.s_order())}
    else:
        obj = {}
        if r.random() < 0.5:
            obj["androidId"] = PV(g.s_androidid())
        else:
            obj["traceId"] = NV(g.s_hash16())
        obj.update({"imei": PV(g.s_imei()), "ip": PV(g.s_ip4()), "ts": NV(g.s_epoch_ms(), num=True)})
    d = Doc()
    emit_json(obj, d, False, None)
    return d.parts


def build_log(g: Gen, target_chars: int) -> Doc:
    r = g.r
    g.lang, g.fw = "en", False
    d = Doc()
    style = r.choice(["java", "logfmt", "nginx", "jsonlog"])
    t0 = dt.datetime(2025, 11, 28, 0, 0, 0) + dt.timedelta(seconds=r.randint(0, 300 * 86400))
    while d.chars < target_chars:
        t0 += dt.timedelta(milliseconds=r.randint(1, 5000))
        ts = f"{t0:%Y-%m-%d %H:%M:%S}.{t0.microsecond // 1000:03d}"
        lvl = r.choice(LOG_LEVELS)
        x = r.random()
        if x < 0.45:
            msg = g.render_segs(g.pick_balanced(LOG_PI))
        elif x < 0.55:
            msg = ["payload="] + log_json_fragment(g)
        else:
            msg = g.render_segs(r.choice(LOG_NEG))
        if style == "nginx" and r.random() < 0.6:
            d.add(g.s_ip4())
            d.t(" - - [")
            d.add(g.N(f"{t0:%d/%b/%Y:%H:%M:%S} +0800", "timestamp"))
            path = r.choice(["/api/v1/user/profile", "/api/v1/orders", "/login", "/api/v2/feed"])
            d.t(f'] "{r.choice(["GET", "POST"])} {path}?')
            q = r.random()
            if q < 0.3:
                d.t("mobile=")
                d.add(g.s_mobile_plain())
                d.t("&")
            elif q < 0.5:
                d.t("lng=")
                d.add(g.s_lng())
                d.t("&lat=")
                d.add(g.s_lat())
                d.t("&")
            elif q < 0.6:
                d.t("email=")
                d.add(g.P(g.raw_email().replace("@", "%40"), "email") if r.random() < 0.3 else g.s_email())
                d.t("&")
            d.t("t=")
            d.add(g.s_epoch_ms())
            d.t(f' HTTP/1.1" {r.choice([200, 200, 200, 302, 404, 500])} {r.randint(100, 90000)} "-" "{r.choice(UAS)}" rt=0.{r.randint(1, 999):03d}\n')
            continue
        if style == "java" or style == "nginx":
            d.add(g.N(ts, "timestamp"))
            d.t(f" {lvl:<5} [http-nio-8080-exec-{r.randint(1, 200)}] {r.choice(LOG_LOGGERS)} - ")
            d.add(msg)
            d.t(" req_id=")
            d.add(g.s_uuid() if r.random() < 0.5 else g.s_hash16())
            d.t("\n")
        elif style == "logfmt":
            d.t("ts=")
            d.add(g.N(f"{t0:%Y-%m-%dT%H:%M:%S}.{t0.microsecond // 1000:03d}+08:00", "timestamp"))
            d.t(f" level={lvl.lower()} svc={r.choice(LOG_SVCS)} trace_id=")
            d.add(g.N(g.rhex(32), "hex_id"))
            d.t(" ")
            d.add(msg)
            d.t("\n")
        else:
            obj = {"@timestamp": NV(g.N(f"{t0:%Y-%m-%dT%H:%M:%S}.{t0.microsecond // 1000:03d}Z", "timestamp")),
                   "level": lvl, "service": r.choice(LOG_SVCS),
                   "request_id": NV(g.s_uuid()), "message": MV(msg),
                   "latency_ms": r.randint(1, 2000)}
            emit_json(obj, d, False, None)
            d.t("\n")
    return d


# ----- tables ---------------------------------------------------------------------------------

# key -> (headers (en, zh, pinyin), pi type or None)
COLS = {
    "xh": (("id", "序号", "xh"), None),
    "name": (("name", "姓名", "xm"), "person_name"),
    "gender": (("gender", "性别", "xb"), None),
    "eth": (("ethnicity", "民族", "mz"), "ethnicity"),
    "dob": (("birth_date", "出生日期", "csrq"), "date_of_birth"),
    "id": (("id_card", "身份证号", "sfzh"), "cn_resident_id"),
    "mobile": (("mobile", "手机号码", "sjhm"), "cn_mobile"),
    "lxdh": (("contact_phone", "联系电话", "lxdh"), "cn_mobile"),
    "gddh": (("tel", "固定电话", "gddh"), "cn_landline"),
    "email": (("email", "电子邮箱", "yx"), "email"),
    "addr": (("address", "家庭住址", "dz"), "cn_address"),
    "card": (("bank_card_no", "银行卡号", "yhkh"), "bank_card"),
    "rel": (("religion", "宗教信仰", "zjxy"), "religion"),
    "passport": (("passport_no", "护照号码", "hzhm"), "cn_passport"),
    "hkmo": (("hk_macau_permit_no", "港澳通行证号码", "gatxzh"), "hk_macau_permit"),
    "hkid": (("hkid", "香港身份证号码", "xgsfzh"), "hk_id"),
    "twid": (("tw_id", "台湾身份证号", "twsfzh"), "tw_id"),
    "twp": (("tw_permit_no", "台胞证号码", "tbzh"), "tw_permit"),
    "moid": (("macau_id", "澳门身份证号码", "amsfzh"), "mo_id"),
    "intl": (("overseas_phone", "境外电话", "jwdh"), "phone_intl"),
    "saddr": (("overseas_address", "境外地址", "jwdz"), "street_address"),
    "ename": (("english_name", "英文姓名", "ywxm"), "person_name"),
    "plate": (("plate_no", "车牌号", "cph"), "cn_license_plate"),
    "vin": (("vin", "车架号", "cjh"), "vin"),
    "imei": (("imei", "IMEI", "imei"), "imei"),
    "mac": (("mac", "MAC地址", "mac"), "mac_address"),
    "ip": (("last_login_ip", "登录IP", "dlip"), "ipv4"),
    "ip6": (("ipv6", "IPv6地址", "ipv6"), "ipv6"),
    "android_id": (("android_id", "安卓ID", "android_id"), "device_id"),
    "idfa": (("idfa", "IDFA", "idfa"), "device_id"),
    "oaid": (("oaid", "OAID", "oaid"), "device_id"),
    "gps": (("location", "位置坐标", "wzzb"), "gps_coordinate"),
    "diag": (("diagnosis", "诊断", "zd"), "health"),
    "allergy": (("allergy", "过敏史", "gms"), "health"),
    "uscc": (("credit_code", "统一社会信用代码", "tyshxydm"), "cn_uscc"),
    "company": (("company", "单位名称", "dwmc"), None),
    "legal": (("legal_rep", "法定代表人", "fddbr"), "person_name"),
    "created": (("created_at", "创建时间", "cjsj"), None),
    "amount": (("amount", "金额", "je"), None),
    "order": (("order_no", "订单号", "ddh"), None),
    "tracking": (("tracking_no", "运单号", "ydh"), None),
    "year": (("year", "年份", "nf"), None),
    "zip": (("zip", "邮编", "yb"), None),
    "status": (("status", "状态", "zt"), None),
    "remark": (("remark", "备注", "bz"), None),
    "empno": (("emp_no", "工号", "gh"), None),
    "pwd": (("password", "密码", "mm"), "credential"),
    "bio": (("face_feature", "人脸特征", "rltz"), "biometric"),
    "uid": (("user_id", "用户ID", "yhid"), None),
    # misleading: PI-sounding header, non-PI content
    "mis_phone": (("phone", "电话", "dh"), None),
    "mis_id": (("id_card", "证件号", "zjhm"), None),
    "mis_mobile": (("mobile", "手机", "sj"), None),
}

TABLE_SCHEMAS = {
    "user": ["xh", "name", "gender", "mobile", "email", "addr", "ip", "created", "status"],
    "hr": ["empno", "name", "gender", "eth", "dob", "id", "mobile", "email", "addr", "card", "rel"],
    "patient": ["xh", "name", "gender", "dob", "id", "lxdh", "diag", "allergy", "created"],
    "vehicle": ["xh", "name", "mobile", "plate", "vin", "amount", "created"],
    "device": ["uid", "imei", "mac", "ip", "ip6", "android_id", "gps", "created"],
    "ios": ["uid", "idfa", "ip", "created", "status"],
    "android": ["uid", "oaid", "imei", "mac", "created"],
    "crossborder": ["xh", "name", "ename", "passport", "hkmo", "hkid", "twid", "twp", "moid", "intl", "saddr"],
    "company": ["xh", "company", "uscc", "legal", "gddh", "addr", "amount"],
    "orders": ["order", "created", "amount", "name", "mobile", "addr", "zip", "tracking", "remark"],
    "misleading": ["xh", "mis_phone", "mis_id", "year", "amount", "tracking", "remark", "status"],
    "misleading2": ["uid", "name", "mis_mobile", "lxdh", "year", "amount", "created", "remark"],
    "accounts": ["uid", "email", "pwd", "mobile", "created", "ip"],
    "faces": ["uid", "name", "bio", "created"],
}


def table_cell(g: Gen, key: str, p: dict, style: int):
    """Return a list of segments (or str) for one cell."""
    r = g.r
    typ = COLS[key][1]
    if typ and r.random() < 0.03:
        return ""
    if key == "xh":
        return str(p["row"])
    if key == "name":
        return g.P(p["name"], "person_name")
    if key == "legal":
        return g.P(g.raw_name(), "person_name")
    if key == "ename":
        return g.P(f"{p['giv'].capitalize()} {p['sur'].capitalize()}", "person_name")
    if key == "gender":
        return ("男" if p["male"] else "女") if style != 0 else ("M" if p["male"] else "F")
    if key == "eth":
        e = p["eth"]
        return g.P(e[:-1] if (r.random() < 0.25 and len(e) > 2) else e, "ethnicity") if style != 0 \
            else g.P(r.choice(ETHNICITIES_EN), "ethnicity")
    if key == "dob":
        d = p["dob"]
        return g.P(r.choice([f"{d:%Y-%m-%d}", f"{d:%Y%m%d}", f"{d:%Y/%m/%d}"]), "date_of_birth")
    if key == "id":
        return g.P(p["id"], "cn_resident_id")
    if key in ("mobile", "lxdh"):
        return g.P(p["mobile"] if r.random() < 0.8 else g.fmt_mobile(p["mobile"]), "cn_mobile")
    if key == "gddh":
        return g.P(g.raw_landline(r.choice(["dash", "dash", "space", "paren"])), "cn_landline")
    if key == "email":
        return g.P(g.raw_email((p["sur"], p["giv"])), "email")
    if key == "addr":
        return g.P(g.raw_addr(), "cn_address")
    if key == "card":
        return g.P(g.raw_card(group=r.random() < 0.1), "bank_card")
    if key == "rel":
        return g.P(r.choice(RELIGIONS), "religion")
    simple = {"passport": g.s_passport, "hkmo": g.s_hkmo, "hkid": g.s_hkid, "twid": g.s_twid,
              "twp": g.s_twp, "moid": g.s_moid, "intl": g.s_intl, "saddr": g.s_saddr,
              "plate": g.s_plate, "vin": g.s_vin, "imei": g.s_imei, "mac": g.s_mac, "ip": g.s_ip4,
              "ip6": g.s_ip6, "android_id": g.s_androidid, "idfa": g.s_idfa, "oaid": g.s_oaid,
              "gps": g.s_gps, "diag": g.s_health, "allergy": g.s_health, "uscc": g.s_uscc,
              "pwd": g.s_pwd, "bio": g.s_bio,
              "created": g.s_ts, "amount": g.s_amount_plain, "order": g.s_order,
              "tracking": g.s_tracking, "year": g.s_year, "zip": g.s_zip, "company": g.s_company}
    if key in simple:
        return simple[key]()
    if key == "status":
        return r.choice(["正常", "已注销", "待审核", "active", "locked"])
    if key == "empno":
        return g.s_empno()
    if key == "uid":
        return g.s_uid()
    if key == "mis_phone":
        return g.s_order()
    if key == "mis_id":
        return g.s_order() if r.random() < 0.5 else g.s_bad_id()
    if key == "mis_mobile":
        return g.s_bad_mobile()
    if key == "remark":
        x = r.random()
        if x < 0.2:
            return g.s_id()
        if x < 0.35:
            return ["身份证", g.s_id(), "已核验"]
        if x < 0.45:
            return ["客户要求送货前联系", g.s_mobile_plain()]
        if x < 0.55:
            return g.s_bad_id()
        return r.choice(["", "加急", "已联系", "客户要求开发票", "VIP", "重复下单", "n/a", "周末配送"])
    raise KeyError(key)


def build_table(g: Gen, target_chars: int, delim: str):
    r = g.r
    g.lang, g.fw = "zh", False
    kind = r.choice(list(TABLE_SCHEMAS))
    cols = list(TABLE_SCHEMAS[kind])
    style = r.choice([0, 1, 2])  # en / zh / pinyin headers
    if r.random() < 0.3 and kind not in ("misleading", "misleading2"):
        # sprinkle a misleading column into a real table
        extra = r.choice(["mis_phone", "year", "tracking", "amount", "remark"])
        if extra not in cols:
            cols.insert(r.randint(1, len(cols)), extra)
    headers = []
    for c in cols:
        h = COLS[c][0][style]
        if r.random() < 0.1:
            h = COLS[c][0][r.choice([0, 1, 2])]
        headers.append(h)
    # de-duplicate header names
    seen = Counter()
    for i, h in enumerate(headers):
        seen[h] += 1
        if seen[h] > 1:
            headers[i] = f"{h}{seen[h]}"
    d = Doc()
    eol = "\r\n" if r.random() < 0.4 else "\n"
    d.t(delim.join(headers) + eol)
    row = 0
    while d.chars < target_chars:
        row += 1
        han, sur, giv = g.name_parts()
        male = r.random() < 0.5
        dob = g.date_between(1950, 2008)
        p = {"row": row, "name": han, "sur": sur, "giv": giv, "male": male, "dob": dob,
             "id": g.raw_id(dob, male), "mobile": g.raw_mobile(),
             "eth": "汉族" if r.random() < 0.7 else r.choice(ETHNICITIES)}
        for ci, c in enumerate(cols):
            cell = table_cell(g, c, p, style)
            segs = cell if isinstance(cell, list) else [cell]
            flat = "".join(s if isinstance(s, str) else s[0] for s in segs)
            quote = delim == "," and any(ch in flat for ch in ',"\n\r')
            if quote:
                assert '"' not in flat
                d.t('"')
            for s in segs:
                if isinstance(s, str):
                    if s:
                        d.t(s)
                else:
                    d.add(s)
            if quote:
                d.t('"')
            d.t(delim if ci < len(cols) - 1 else eol)
    col_labels = []
    for c, h in zip(cols, headers):
        typ = COLS[c][1]
        if typ:
            col_labels.append((h, typ))
    return d, col_labels


# ----- JSON -----------------------------------------------------------------------------------

def json_scenario(g: Gen, name: str):
    r = g.r
    num = r.random() < 0.3
    if name == "profile":
        m = g.s_mobile_plain()
        return {"user": {"id": int(g.s_uid()), "profile": {
            "name": PV(g.s_name()), "mobile": PV(m, num=num), "id_card": PV(g.s_id()),
            "email": PV(g.s_email()), "birthday": PV(g.s_dob_iso()), "gender": g.s_gender(),
            "nation": PV(g.s_eth())}, "settings": {"lang": "zh-CN", "push": True}},
            "receiver": {"name": PV(g.s_name()), "phone": PV(g.s_mobile()), "addr": PV(g.s_addr())}}
    if name == "order":
        return {"order_id": NV(g.s_order()), "amount": NV(g.s_amount_plain(), num=True),
                "created_at": NV(g.s_ts()), "items": [{"sku": NV(g.s_sku()), "qty": r.randint(1, 5),
                                                      "price": NV(g.s_amount_plain(), num=True)}],
                "receiver": {"name": PV(g.s_name()), "mobile": PV(g.s_mobile_plain(), num=num),
                             "addr": PV(g.s_addr())},
                "logistics": {"company": "SF", "tracking_no": NV(g.s_tracking())},
                "remark": MV(["送货前请致电", g.s_mobile_plain()]) if r.random() < 0.4 else "",
                "merchant": {"hotline": NV(g.s_svc400()), "name": NV(g.s_company())}}
    if name == "device":
        dev = {"imei": PV(g.s_imei(), num=num), "mac": PV(g.s_mac()), "os": r.choice(["Android 14", "iOS 17.2"]),
               "app_version": NV(g.s_version())}
        x = r.random()
        if x < 0.33:
            dev["idfa"] = PV(g.s_idfa()) if r.random() < 0.8 else NV(g.s_zero_idfa())
        elif x < 0.66:
            dev["oaid"] = PV(g.s_oaid())
        else:
            dev["android_id"] = PV(g.s_androidid())
        lat, lng = g.s_lat(), g.s_lng()
        return {"device": dev, "network": {"ip": PV(g.s_ip4()), "ipv6": PV(g.s_ip6())},
                "location": {"lat": PV(lat, num=True), "lng": PV(lng, num=True)},
                "trace_id": NV(g.s_uuid())}
    if name == "payment":
        return {"payer": {"name": PV(g.s_name()), "bank_card": PV(g.s_card_plain(), num=num and r.random() < 0.5),
                          "id_no": PV(g.s_id())}, "txn_id": NV(g.s_txn()),
                "amount": NV(g.s_amount_plain(), num=True), "ref": NV(g.s_bad_card())}
    if name == "auth":
        return {"username": PV(g.s_email()), "password": PV(g.s_pwd()),
                "token": PV(g.s_jwt()), "client": {"api_key": PV(g.s_apikey())},
                "ts": NV(g.s_epoch_ms(), num=True)}
    if name == "kyc":
        return {"applicant": {"name": PV(g.s_name()), "passport": PV(g.s_passport()),
                              "hk_macau_permit": PV(g.s_hkmo()), "hk_id": PV(g.s_hkid()),
                              "tw_id": PV(g.s_twid()), "tw_permit_no": PV(g.s_twp(), num=False),
                              "macau_id": PV(g.s_moid()), "dob": PV(g.s_dob_iso()),
                              "ethnicity": PV(g.s_eth()), "religion": PV(g.s_rel())},
                "case_no": NV(g.s_order())}
    if name == "medical":
        return {"patient": {"name": PV(g.s_name()), "birth_date": PV(g.s_dob_iso()),
                            "diagnosis": [PV(g.s_health()) for _ in range(r.randint(1, 3))],
                            "allergies": [PV(g.s_health())], "mobile": PV(g.s_mobile_plain())},
                "visit_no": NV(g.s_order())}
    if name == "company":
        return {"company": {"name": NV(g.s_company()), "uscc": PV(g.s_uscc()),
                            "legal_rep": PV(g.s_name()), "tel": PV(g.s_landline()),
                            "address": PV(g.s_addr()), "zip": NV(g.s_zip())}}
    if name == "vehicle":
        return {"owner": {"name": PV(g.s_name()), "mobile": PV(g.s_mobile_plain())},
                "vehicle": {"plate": PV(g.s_plate()), "vin": PV(g.s_vin()), "year": NV(g.s_year(), num=True)}}
    if name == "biometric":
        return {"user_id": int(g.s_uid()), "face_feature": PV(g.s_bio()),
                "fingerprint_template": PV(g.s_bio_fp()), "checksum": NV(g.s_hash())}
    if name == "intl":
        return {"contact": {"name": PV(g.s_ename()), "phone": PV(g.s_intl()),
                            "address": PV(g.s_saddr()), "email": PV(g.s_email())},
                "demo_phone": NV(g.s_fict_nanp()), "demo_email": NV(g.s_placeholder_email())}
    raise KeyError(name)


JSON_SCENARIOS = ["profile", "order", "device", "payment", "auth", "kyc", "medical", "company",
                  "vehicle", "biometric", "intl"]


def build_api_json(g: Gen, target_chars: int, esc: bool) -> Doc:
    r = g.r
    g.lang, g.fw = "zh", False
    records = []
    d = Doc()
    approx = 0
    while approx < target_chars:
        sc = r.choice(JSON_SCENARIOS)
        records.append(json_scenario(g, sc))
        approx += 500
    obj = {"code": 0, "msg": "success", "request_id": NV(g.s_uuid()), "ts": NV(g.s_epoch_ms(), num=True),
           "data": records[0] if len(records) == 1 else {"total": len(records), "records": records}}
    emit_json(obj, d, esc, 2)
    d.t("\n")
    return d


def build_ndjson(g: Gen, target_chars: int, esc: bool) -> Doc:
    r = g.r
    g.lang, g.fw = "zh", False
    d = Doc()
    events = ["login", "page_view", "location_report", "payment", "register", "device_report",
              "order_created", "kyc_submit", "logout"]
    while d.chars < target_chars:
        ev = r.choice(events)
        obj = {"ts": NV(g.s_epoch_ms(), num=True), "event": ev, "event_id": NV(g.s_uuid())}
        if ev == "login":
            obj["user"] = {"mobile": PV(g.s_mobile_plain(), num=r.random() < 0.3)}
            obj["ip"] = PV(g.s_ip4())
        elif ev == "page_view":
            obj["page"] = r.choice(["/home", "/cart", "/item/123"])
            obj["duration_ms"] = r.randint(10, 60000)
            obj["session"] = NV(g.s_hash())
        elif ev == "location_report":
            lat, lng = g.s_lat(), g.s_lng()
            obj["geo"] = {"lat": PV(lat, num=True), "lng": PV(lng, num=True)} if r.random() < 0.6 \
                else {"point": PV(g.s_gps())}
        elif ev == "payment":
            obj.update(json_scenario(g, "payment"))
        elif ev == "register":
            obj["user"] = {"profile": {"name": PV(g.s_name()), "mobile": PV(g.s_mobile()),
                                       "email": PV(g.s_email())}}
        elif ev == "device_report":
            obj.update(json_scenario(g, "device"))
        elif ev == "order_created":
            obj["order_id"] = NV(g.s_order())
            obj["receiver"] = {"name": PV(g.s_name()), "addr": PV(g.s_addr()), "tel": PV(g.s_mobile_plain())}
        elif ev == "kyc_submit":
            obj.update(json_scenario(g, r.choice(["kyc", "medical", "biometric", "intl", "company", "vehicle"])))
        else:
            obj["reason"] = "timeout"
            obj["version"] = NV(g.s_version())
        emit_json(obj, d, esc, None)
        d.t("\n")
    return d


# ---------------------------------------------------------------------------------------------
# Rendering to bytes + labels
# ---------------------------------------------------------------------------------------------


def render_bytes(doc: Doc, enc: str, bom: bool):
    out = []
    pos = 0
    labels = []
    negs = Counter()
    if bom:
        out.append(b"\xef\xbb\xbf")
        pos = 3
    gbk = enc == "gbk"
    for text, typ, neg, val in doc.parts:
        if typ is None and gbk:
            text = text.translate(GBK_FIX)
        b = text.encode(enc)
        if typ is not None:
            labels.append((pos, pos + len(b), typ, val if val is not None else text))
        elif neg is not None:
            negs[neg] += 1
        out.append(b)
        pos += len(b)
    return b"".join(out), labels, negs


FILE_PLAN = [
    # kind, weight (by bytes)
    ("zh_prose", 24), ("en_prose", 12), ("mixed", 9), ("app_log", 20), ("table", 22),
    ("api_json", 6), ("events_ndjson", 7),
]


def generate(seed: int, size: str):
    """Return (files, labels, manifest). files: list of (name, bytes, meta)."""
    target_bytes, min_per_type = SIZES[size]
    g = Gen(seed)
    files = []
    all_labels = []
    negs_total = Counter()
    negs_by_kind = Counter()
    pos_by_kind = Counter()
    counters = Counter()
    total = 0
    plan_rng = random.Random(f"{seed}/plan")
    kinds = [k for k, _ in FILE_PLAN]
    weights = [w for _, w in FILE_PLAN]
    scale = 1 if size == "small" else 2
    type_counts = Counter()
    guard = 0
    while total < target_bytes or any(type_counts[t] < min_per_type for t in PI_TYPES):
        guard += 1
        if guard > 100000:
            raise RuntimeError("generation did not converge")
        kind = plan_rng.choices(kinds, weights)[0]
        counters[kind] += 1
        idx = counters[kind]
        g.r = random.Random(f"{seed}/{kind}/{idx}")
        r = g.r
        enc, bom, escaped = "utf-8", False, False
        col_labels = []
        if kind == "zh_prose":
            name = f"zh_prose_{idx:03d}.txt"
            doc = build_prose(g, "zh", r.randint(1500, 4500) * scale)
            if r.random() < 0.15:
                enc = "gbk"
        elif kind == "en_prose":
            name = f"en_prose_{idx:03d}.txt"
            doc = build_prose(g, "en", r.randint(3000, 9000) * scale)
        elif kind == "mixed":
            name = f"mixed_{idx:03d}.txt"
            doc = build_prose(g, "mixed", r.randint(2000, 6000) * scale)
        elif kind == "app_log":
            name = f"app_{idx:03d}.log"
            doc = build_log(g, r.randint(8000, 24000) * scale)
        elif kind == "table":
            tsv = r.random() < 0.3
            name = f"table_{idx:03d}.{'tsv' if tsv else 'csv'}"
            x = r.random()
            if x < 0.3:
                enc = "gbk"
            elif x < 0.55:
                bom = True
            doc, col_labels = build_table(g, r.randint(3000, 12000) * scale, "\t" if tsv else ",")
        elif kind == "api_json":
            name = f"api_{idx:03d}.json"
            escaped = r.random() < 0.4
            doc = build_api_json(g, r.randint(1500, 6000) * scale, escaped)
        else:
            name = f"events_{idx:03d}.ndjson"
            escaped = r.random() < 0.35
            doc = build_ndjson(g, r.randint(6000, 16000) * scale, escaped)
        data, labels, negs = render_bytes(doc, enc, bom)
        files.append((name, data, {"encoding": "utf-8-sig" if bom else enc, "json_escaped": escaped,
                                   "bytes": len(data), "kind": kind}))
        for s, e, typ, val in labels:
            all_labels.append({"path": name, "start": s, "end": e, "type": typ, "_value": val})
            type_counts[typ] += 1
            pos_by_kind[kind] += 1
        for col, typ in col_labels:
            all_labels.append({"path": name, "kind": "column", "column": col, "type": typ})
        negs_total.update(negs)
        negs_by_kind[kind] += sum(negs.values())
        total += len(data)
    manifest = {
        "generator": "gen_eval_corpus.py",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "size": size,
        "total_bytes": total,
        "file_count": len(files),
        "counts_per_type": {t: type_counts[t] for t in PI_TYPES},
        "column_labels_per_type": dict(sorted(Counter(l["type"] for l in all_labels if l.get("kind") == "column").items())),
        "positive_values": sum(type_counts.values()),
        "hard_negatives_per_kind": dict(sorted(negs_total.items())),
        "hard_negatives_total": sum(negs_total.values()),
        "positives_by_file_kind": dict(sorted(pos_by_kind.items())),
        "hard_negatives_by_file_kind": dict(sorted(negs_by_kind.items())),
        "files": [{"path": n, **m} for n, _, m in files],
    }
    return files, all_labels, manifest


def label_line(l):
    if l.get("kind") == "column":
        return json.dumps({"path": l["path"], "kind": "column", "column": l["column"], "type": l["type"]},
                          ensure_ascii=False)
    return json.dumps({"path": l["path"], "start": l["start"], "end": l["end"], "type": l["type"]},
                      ensure_ascii=False)


def write_corpus(out, files, labels, manifest):
    os.makedirs(out, exist_ok=True)
    for name, data, _ in files:
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "labels.ndjson"), "w", encoding="utf-8", newline="\n") as f:
        for l in labels:
            f.write(label_line(l) + "\n")
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")


# ---------------------------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------------------------


def normalize_digits(s):
    return s.translate(str.maketrans("０１２３４５６７８９（）", "0123456789()"))


def validate_value(typ, v):
    """Independent re-validation of generated positives (catches generator bugs)."""
    s = normalize_digits(v)
    if typ == "cn_resident_id":
        if len(s) == 15:
            return s.isdigit() and s[:6] in REGION_SET
        return id18_valid(s) and s[:6] in REGION_SET
    if typ == "cn_mobile":
        d = re.sub(r"[\s\-]", "", s)
        d = d[3:] if d.startswith("+86") else d[4:] if d.startswith("0086") else d
        return len(d) == 11 and d.isdigit() and d[:3] in MOBILE_SET
    if typ == "bank_card":
        return luhn_ok(s.replace(" ", "")) and 16 <= len(s.replace(" ", "")) <= 19
    if typ == "imei":
        return len(s) == 15 and luhn_ok(s) and s[:2] in TACS
    if typ == "hk_id":
        m = re.fullmatch(r"([A-Z]{1,2})(\d{6}) ?\(?([0-9A])\)?", s)
        return bool(m) and hkid_check(m.group(1), m.group(2)) == m.group(3)
    if typ == "tw_id":
        return twid_valid(s)
    if typ == "cn_uscc":
        return len(s) == 18 and all(c in USCC_CHARS for c in s) and uscc_check(s[:17]) == s[17] \
            and orgcode_check(s[8:16]) == s[16]
    if typ == "vin":
        return len(s) == 17 and all(c in VIN_CHARS for c in s) and vin_check(s) == s[8]
    if typ == "ipv4":
        try:
            ipaddress.IPv4Address(s)
            return True
        except ValueError:
            return False
    if typ == "ipv6":
        try:
            ipaddress.IPv6Address(s)
            return True
        except ValueError:
            return False
    if typ == "email":
        return re.fullmatch(r"[\w.+-]+(@|%40)[a-z0-9.-]+\.[a-z]{2,}", s) is not None and "example." not in s
    if typ == "cn_passport":
        return re.fullmatch(r"E(\d{8}|[A-HJ-NP-Z]\d{7})", s) is not None
    if typ == "hk_macau_permit":
        return re.fullmatch(r"[HMC]\d{8}", s) is not None
    if typ == "tw_permit":
        return re.fullmatch(r"\d{8}", s) is not None
    if typ == "mo_id":
        return re.fullmatch(r"[157]\d{6}\(\d\)", s) is not None
    if typ == "phone_intl":
        return "555-01" not in s and re.fullmatch(r"[+()\d][\d ()\-]+", s) is not None
    if typ == "device_id":
        return re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}|[0-9a-f\-]{16,64}", s) is not None \
            and s.strip("0-") != ""
    if typ == "credential":
        return len(s) >= 8 and s != "******"
    if typ in ("person_name", "cn_address", "street_address", "date_of_birth", "ethnicity",
               "religion", "health", "biometric", "gps_coordinate", "cn_license_plate", "cn_landline",
               "mac_address"):
        return len(s) > 0 and s == s.strip()
    return False


REGION_SET = frozenset(REGION_CODES)


def self_check(out, files, labels, manifest, seed, size):
    errors = []
    file_meta = {n: m for n, _, m in files}
    cache = {}
    seen_spans = {}
    for l in labels:
        if l.get("kind") == "column":
            continue
        p = l["path"]
        if p not in cache:
            with open(os.path.join(out, p), "rb") as f:
                cache[p] = f.read()
        data = cache[p]
        meta = file_meta[p]
        enc = "gbk" if meta["encoding"] == "gbk" else "utf-8"
        s, e = l["start"], l["end"]
        if not (0 <= s < e <= len(data)):
            errors.append(f"{p}: bad span {s}-{e}")
            continue
        try:
            txt = data[s:e].decode(enc)
        except UnicodeDecodeError as ex:
            errors.append(f"{p}:{s}-{e}: does not decode: {ex}")
            continue
        if meta["json_escaped"]:
            try:
                txt = json.loads('"' + txt + '"')
            except json.JSONDecodeError:
                errors.append(f"{p}:{s}-{e}: escaped text does not unescape")
                continue
        if txt != l["_value"]:
            errors.append(f"{p}:{s}-{e}: {txt!r} != {l['_value']!r}")
        if txt != txt.strip() or txt[:1] in "\"'“（(" and l["type"] not in ("cn_landline", "phone_intl"):
            errors.append(f"{p}:{s}-{e}: label has surrounding whitespace/quotes {txt!r}")
        if not validate_value(l["type"], l["_value"]):
            errors.append(f"{p}:{s}-{e}: generated {l['type']} value fails validation: {l['_value']!r}")
        spans = seen_spans.setdefault(p, [])
        spans.append((s, e))
    for p, spans in seen_spans.items():
        spans.sort()
        for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
            if a2 < b1:
                errors.append(f"{p}: overlapping labels {a1}-{b1} and {a2}-{b2}")
    # structural checks
    for name, data, meta in files:
        if name.endswith(".json"):
            try:
                json.loads(data.decode("utf-8"))
            except Exception as ex:  # noqa: BLE001
                errors.append(f"{name}: invalid JSON: {ex}")
        elif name.endswith(".ndjson"):
            for i, line in enumerate(data.decode("utf-8").splitlines()):
                try:
                    json.loads(line)
                except Exception as ex:  # noqa: BLE001
                    errors.append(f"{name}:{i + 1}: invalid JSON line: {ex}")
        if meta["encoding"] == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            errors.append(f"{name}: missing BOM")
    # labels.ndjson on disk matches
    with open(os.path.join(out, "labels.ndjson"), encoding="utf-8") as f:
        disk = [json.loads(x) for x in f]
    if len(disk) != len(labels):
        errors.append("labels.ndjson line count mismatch")
    _, minimum = SIZES[size]
    for t in PI_TYPES:
        if manifest["counts_per_type"][t] < minimum:
            errors.append(f"type {t}: only {manifest['counts_per_type'][t]} < {minimum}")
    # determinism: regenerate in memory and compare bytes with the files on disk
    files2, labels2, manifest2 = generate(seed, size)
    if [n for n, _, _ in files2] != [n for n, _, _ in files]:
        errors.append("determinism: file list differs between two runs")
    else:
        for name, data2, _ in files2:
            with open(os.path.join(out, name), "rb") as f:
                if f.read() != data2:
                    errors.append(f"determinism: {name} differs between two runs")
    if [label_line(l) for l in labels2] != [label_line(l) for l in labels]:
        errors.append("determinism: labels differ between two runs")
    return errors


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--self-check", action="store_true",
                    help="re-read every file, verify each label's bytes decode to the generated value, "
                         "re-validate values, and regenerate to verify determinism")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.time()
    files, labels, manifest = generate(a.seed, a.size)
    write_corpus(a.out, files, labels, manifest)
    if not a.quiet:
        print(f"wrote {manifest['file_count']} files, {manifest['total_bytes']} bytes, "
              f"{manifest['positive_values']} positive values, {manifest['hard_negatives_total']} hard negatives "
              f"to {a.out} in {time.time() - t0:.1f}s")
        for t in PI_TYPES:
            print(f"  {t:18s} {manifest['counts_per_type'][t]}")
    if a.self_check:
        errors = self_check(a.out, files, labels, manifest, a.seed, a.size)
        if errors:
            for e in errors[:50]:
                print("SELF-CHECK FAIL:", e, file=sys.stderr)
            print(f"self-check: {len(errors)} error(s)", file=sys.stderr)
            return 1
        if not a.quiet:
            print(f"self-check: OK ({sum(1 for l in labels if l.get('kind') != 'column')} value labels, "
                  f"deterministic) in {time.time() - t0:.1f}s total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
