//! Titles, abstracts and claims from the field vocabulary and sentence templates.

use super::rng::Rng;
use super::vocab::{Style, TechField};
use crate::doc::PatentKind;

/// Products of design patents and what they are for (designs carry no IPC and no claims).
const DESIGN_PRODUCTS: [(&str, &str); 30] = [
    ("手机支架", "支撑手机"),
    ("充电器", "为电子设备充电"),
    ("包装盒", "盛装商品"),
    ("台灯", "照明"),
    ("电动车仪表盘", "显示车辆行驶信息"),
    ("智能手表", "计时及健康监测"),
    ("路由器", "无线网络连接"),
    ("药瓶", "盛装药品"),
    ("包装袋", "包装食品"),
    ("播种机", "农田播种"),
    ("太阳能热水器", "加热生活用水"),
    ("蓝牙耳机", "收听音频"),
    ("电池包外壳", "容纳电池模组"),
    ("充电桩", "为电动汽车充电"),
    ("保温杯", "盛装饮品"),
    ("键盘", "输入文字"),
    ("空气净化器", "净化室内空气"),
    ("扫地机器人", "清洁地面"),
    ("电热水壶", "烧水"),
    ("投影仪", "投影显示"),
    ("移动电源", "为电子设备供电"),
    ("净水器", "净化饮用水"),
    ("血压计", "测量血压"),
    ("无人机", "航拍及巡检"),
    ("电动牙刷", "清洁牙齿"),
    ("茶叶罐", "储存茶叶"),
    ("智能门锁", "门禁安防"),
    ("监控摄像头", "视频监控"),
    ("加湿器", "增加空气湿度"),
    ("焊接面罩", "焊接防护"),
];

const DESIGN_VARIANTS: [&str; 6] = ["", "（1）", "（2）", "（便携式）", "（智能型）", "（A款）"];
const DEVICES: [&str; 4] = ["装置", "机构", "组件", "结构"];

/// The terms one patent's text is built from.
struct Words<'a> {
    product: &'a str,
    parts: [&'a str; 4],
    materials: [&'a str; 3],
    processes: [&'a str; 2],
    effects: [&'a str; 2],
    use_: &'a str,
}

/// `n` distinct entries when the list has them (else with repeats).
fn distinct<'a, const N: usize>(rng: &mut Rng, list: &[&'a str]) -> [&'a str; N] {
    let mut out = [""; N];
    let mut taken: Vec<usize> = Vec::with_capacity(N);
    for slot in &mut out {
        let mut index = rng.below(list.len());
        for _ in 0..4 {
            if !taken.contains(&index) {
                break;
            }
            index = rng.below(list.len());
        }
        taken.push(index);
        *slot = list.get(index).copied().unwrap_or("");
    }
    out
}

fn words<'a>(rng: &mut Rng, field: &'a TechField) -> Words<'a> {
    Words {
        product: rng.pick(&field.product).copied().unwrap_or("装置"),
        parts: distinct(rng, &field.part),
        materials: distinct(rng, &field.material),
        processes: distinct(rng, &field.process),
        effects: distinct(rng, &field.effect),
        use_: rng.pick(&field.uses).copied().unwrap_or("工业生产"),
    }
}

/// Title, abstract and claims of one patent.
pub(crate) struct Text {
    pub title: String,
    pub abstract_text: String,
    pub claims: Vec<String>,
}

pub(crate) fn patent_text(rng: &mut Rng, field: &TechField, kind: PatentKind) -> Text {
    match kind {
        PatentKind::Invention => invention(rng, field),
        PatentKind::UtilityModel => utility_model(rng, field),
        PatentKind::Design => design(rng),
    }
}

/// Numbers that vary the text: ratios, temperatures, hours, a low and a high bound.
struct Numbers {
    a: i64,
    b: i64,
    temperature: i64,
    hours: i64,
    low: i64,
    high: i64,
}

fn numbers(rng: &mut Rng) -> Numbers {
    Numbers {
        a: rng.between(1, 9),
        b: rng.between(1, 20),
        temperature: rng.between(3, 90) * 10,
        hours: rng.between(1, 24),
        low: rng.between(1, 20),
        high: rng.between(21, 80),
    }
}

fn invention_title(rng: &mut Rng, w: &Words<'_>, method: bool) -> String {
    let [p1, ..] = w.parts;
    let [m1, ..] = w.materials;
    let [r1, _] = w.processes;
    let product = w.product;
    match (method, rng.below(4)) {
        (true, 0) => format!("一种{m1}{p1}及其制备方法"),
        (true, 1) => format!("一种{product}的{p1}{r1}方法"),
        (true, 2) => format!("{p1}{r1}方法、装置、设备及存储介质"),
        (true, _) => format!("一种{r1}{m1}的方法及系统"),
        (false, 0) => format!("一种基于{m1}的{product}"),
        (false, 1) => format!("一种用于{}的{product}", w.use_),
        (false, 2) => format!("{product}用{p1}、其制备方法及应用"),
        (false, _) => format!("一种具有{p1}的{product}"),
    }
}

/// The abstract's middle sentence and the first claim, by style and claim type.
fn invention_body(rng: &mut Rng, w: &Words<'_>, style: Style, method: bool) -> (String, String) {
    let [p1, p2, p3, p4] = w.parts;
    let [m1, m2, m3] = w.materials;
    let [r1, r2] = w.processes;
    let product = w.product;
    let Numbers {
        a,
        b,
        temperature,
        hours,
        low,
        high,
    } = numbers(rng);
    match (style, method) {
        (Style::Chemical, true) => (
            format!(
                "该方法包括以下步骤：将{m1}与{m2}按质量比{a}:{b}混合，在{temperature}℃下{r1}{hours}小时，再经{r2}得到{p1}。"
            ),
            format!(
                "1.一种{product}的制备方法，其特征在于，包括以下步骤：S1，将{m1}与{m2}按质量比{a}:{b}混合均匀；S2，在{temperature}℃下{r1}{hours}小时；S3，经{r2}后得到所述{p1}。"
            ),
        ),
        (Style::Chemical, false) => (
            format!(
                "所述{product}包括{p1}、{p2}和{p3}，所述{p1}由{m1}经{r1}制成，所述{p2}表面设置有{m2}层，其中{m3}的质量分数为{low}%～{high}%。"
            ),
            format!(
                "1.一种{product}，其特征在于，包括{p1}、{p2}以及设置于所述{p1}与所述{p2}之间的{p3}；所述{p1}包含{m1}，所述{m1}的质量分数为{low}%～{high}%；所述{p3}采用{r1}工艺形成。"
            ),
        ),
        (Style::Digital, true) => (
            format!(
                "该方法包括：获取{m1}；利用{p1}对所述{m1}进行{r1}，得到{m2}；根据所述{m2}确定{p2}，并基于{p3}执行{r2}。"
            ),
            format!(
                "1.一种{p1}{r1}方法，其特征在于，包括：获取待处理的{m1}；利用{p2}对所述{m1}进行{r1}，得到{m2}；当所述{m2}的数量大于预设阈值{low}时，对{p3}执行{r2}。"
            ),
        ),
        (Style::Digital, false) => (
            format!(
                "所述{product}包括{p1}、{p2}和{p3}，所述{p1}用于获取{m1}，所述{p2}用于对{m1}进行{r1}，所述{p3}根据{m2}执行{r2}。"
            ),
            format!(
                "1.一种{product}，其特征在于，包括：{p1}，用于获取{m1}；{p2}，用于对所述{m1}进行{r1}，得到{m2}；以及{p3}，用于根据所述{m2}执行{r2}。"
            ),
        ),
        (Style::Mechanical, true) => (
            format!(
                "该方法包括以下步骤：将{p1}安装于{p2}上，通过{p3}对工件进行{r1}，完成{r2}后由{p4}复位。"
            ),
            format!(
                "1.一种{product}的{r1}方法，其特征在于，包括以下步骤：S1，将{p1}固定于{p2}上；S2，启动{p3}，以{low}～{high}mm/s的速度进行{r1}；S3，完成{r2}后通过{p4}复位。"
            ),
        ),
        (Style::Mechanical, false) => (
            format!(
                "所述{product}包括{p1}、{p2}和{p3}，所述{p1}上设置有{p2}，所述{p2}与所述{p3}传动连接，所述{p3}采用{m1}制成。"
            ),
            format!(
                "1.一种{product}，包括{p1}，其特征在于：所述{p1}上设置有{p2}，所述{p2}与{p3}传动连接，所述{p3}采用{m1}制成，所述{p4}与所述{p1}之间的夹角为{low}°～{high}°。"
            ),
        ),
    }
}

fn dependent_claim(
    rng: &mut Rng,
    w: &Words<'_>,
    style: Style,
    number: usize,
    subject: &str,
) -> String {
    let [_, p2, p3, _] = w.parts;
    let [m1, _, m3] = w.materials;
    let [r1, _] = w.processes;
    let cited = rng.between(1, number as i64 - 1);
    match (style, rng.below(2)) {
        (Style::Chemical, 0) => {
            format!("{number}.根据权利要求{cited}所述的{subject}，其特征在于，所述{m1}为{m3}。")
        }
        (Style::Chemical, _) => format!(
            "{number}.根据权利要求{cited}所述的{subject}，其特征在于，所述{r1}的温度为{}℃，时间为{}小时。",
            rng.between(3, 90) * 10,
            rng.between(1, 24)
        ),
        (Style::Digital, 0) => format!(
            "{number}.根据权利要求{cited}所述的{subject}，其特征在于，所述{p2}包括{}个{p3}。",
            rng.between(2, 16)
        ),
        (Style::Digital, _) => format!(
            "{number}.一种计算机可读存储介质，其上存储有计算机程序，其特征在于，所述计算机程序被处理器执行时实现权利要求{cited}所述的{subject}。"
        ),
        (Style::Mechanical, 0) => format!(
            "{number}.根据权利要求{cited}所述的{subject}，其特征在于，所述{p2}的厚度为{}～{}mm。",
            rng.between(1, 20),
            rng.between(21, 200)
        ),
        (Style::Mechanical, _) => format!(
            "{number}.根据权利要求{cited}所述的{subject}，其特征在于，所述{p3}与所述{p2}之间设置有{}个弹簧。",
            rng.between(2, 8)
        ),
    }
}

fn invention(rng: &mut Rng, field: &TechField) -> Text {
    let w = words(rng, field);
    let method = rng.chance(0.45);
    let title = invention_title(rng, &w, method);
    let (body, first) = invention_body(rng, &w, field.style, method);
    let [_, m2, _] = w.materials;
    let [_, r2] = w.processes;
    let [e1, e2] = w.effects;
    let opening = if title.starts_with("一种") {
        ""
    } else {
        "一种"
    };
    let abstract_text = format!(
        "本发明公开了{opening}{title}，属于{}技术领域。{body}本发明通过{r2}{m2}，{e1}，并且{e2}，可广泛应用于{}。",
        field.name, w.use_
    );
    let subject = if method {
        "方法".to_owned()
    } else {
        w.product.to_owned()
    };
    let mut claims = vec![first];
    for number in 2..2 + rng.below(4) {
        claims.push(dependent_claim(rng, &w, field.style, number, &subject));
    }
    Text {
        title,
        abstract_text,
        claims,
    }
}

fn utility_model(rng: &mut Rng, field: &TechField) -> Text {
    let w = words(rng, field);
    let [p1, p2, p3, p4] = w.parts;
    let [e1, e2] = w.effects;
    let [r1, _] = w.processes;
    let product = w.product;
    let device = rng.pick(&DEVICES).copied().unwrap_or("装置");
    let title = match rng.below(5) {
        0 => format!("一种{product}的{p1}结构"),
        1 => format!("一种{p1}{device}"),
        2 => format!("一种便于{r1}的{product}"),
        3 => format!("一种{}用{product}", w.use_),
        _ => format!("一种具有{p1}的{product}"),
    };
    let abstract_text = format!(
        "本实用新型公开了{title}，包括{p1}、{p2}和{p3}，所述{p1}的一侧固定连接有{p2}，所述{p2}的内部设置有{p3}。本实用新型结构简单，{e1}，{e2}。"
    );
    let mut claims = vec![format!(
        "1.{title}，包括{p1}，其特征在于：所述{p1}的顶部固定连接有{p2}，所述{p2}的内部设置有{p3}，所述{p3}的两侧对称安装有{p4}。"
    )];
    for number in 2..2 + rng.below(3) {
        claims.push(format!(
            "{number}.根据权利要求1所述的{product}，其特征在于：所述{p2}与所述{p4}之间通过螺栓可拆卸连接，螺栓数量为{}个。",
            rng.between(2, 8)
        ));
    }
    Text {
        title,
        abstract_text,
        claims,
    }
}

fn design(rng: &mut Rng) -> Text {
    let (product, use_) = rng
        .pick(&DESIGN_PRODUCTS)
        .copied()
        .unwrap_or(("包装盒", "盛装商品"));
    let variant = rng.pick(&DESIGN_VARIANTS).copied().unwrap_or("");
    let title = format!("{product}{variant}");
    let abstract_text = format!(
        "1．本外观设计产品的名称：{title}。2．本外观设计产品的用途：用于{use_}。3．本外观设计产品的设计要点：在于形状与图案的结合。4．最能表明设计要点的图片或照片：立体图{}。",
        rng.between(1, 3)
    );
    Text {
        title,
        abstract_text,
        claims: Vec::new(),
    }
}
