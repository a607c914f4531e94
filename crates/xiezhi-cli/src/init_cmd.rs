//! `xiezhi init [DIR]`: writes the example data-map project.

use anyhow::{Result, bail};
use xiezhi_map::{InitError, init_project};
use xiezhi_model::Lang;

use crate::cli::InitArgs;

pub fn run(args: &InitArgs) -> Result<()> {
    let lang: Lang = args.lang.into();
    let written = match init_project(&args.dir) {
        Ok(w) => w,
        Err(InitError::Exists(path)) => match lang {
            Lang::ZhCn => bail!("{} 已存在，未写入任何文件", path.display()),
            Lang::En => bail!("{} already exists; nothing was written", path.display()),
        },
        Err(e) => return Err(e.into()),
    };
    for p in &written {
        println!("{}", p.display());
    }
    let dir = args.dir.display();
    match lang {
        Lang::ZhCn => println!(
            "已为虚构平台生成示例项目。修改后运行 `xiezhi map check {dir}` 校验；`xiezhi schema` 输出编辑器用的 JSON Schema。"
        ),
        Lang::En => println!(
            "Wrote an example project for a fictional platform. Edit it, then run `xiezhi map check {dir}`; `xiezhi schema` prints the JSON Schema for editors."
        ),
    }
    Ok(())
}
