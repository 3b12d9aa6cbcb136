/**
 * The bundled agreement, used when CLA_FILE is not set. Modelled on the Apache individual CLA,
 * shortened; a community deploying the hub points CLA_FILE at the text its lawyers approved.
 */
export const DEFAULT_CLA = `# OpenCloudOS Individual Contributor License Agreement / OpenCloudOS 个人贡献者许可协议

Thank you for your interest in OpenCloudOS. This agreement makes clear the terms under which you
contribute. It is for your protection as a contributor as well as the community's.

1. **Definitions.** "You" means the person signing this agreement. "Contribution" means any work
   of authorship, including modifications of existing work, that you submit to an OpenCloudOS
   project (source code, packaging, documentation, artwork, translations).
2. **Copyright licence.** You grant the OpenCloudOS community and the recipients of software it
   distributes a perpetual, worldwide, non-exclusive, no-charge, royalty-free, irrevocable
   copyright licence to reproduce, prepare derivative works of, publicly display, sublicense and
   distribute your Contributions.
3. **Patent licence.** You grant the same recipients a perpetual, worldwide, non-exclusive,
   no-charge, royalty-free, irrevocable patent licence for your Contributions, as far as patent
   claims you can licence are necessarily infringed by them.
4. **Your rights.** You state that each Contribution is your original work, or that you have the
   right to submit it, and that if your employer has rights in it, they have allowed you to
   contribute it on their behalf.
5. **No warranty.** Unless required by law, you provide your Contributions "as is", without
   warranties or conditions of any kind.
6. **Keep us informed.** You agree to tell the community if any of these statements stops being
   true.

---

感谢您对 OpenCloudOS 的关注。本协议说明您做出贡献的条件，既保护作为贡献者的您，也保护社区。

1. **定义。**"您"指签署本协议的个人。"贡献"指您提交给 OpenCloudOS 项目的任何作品（源代码、打包文件、文档、美术作品、翻译），包括对已有作品的修改。
2. **著作权许可。**您授予 OpenCloudOS 社区及其所分发软件的接收者一项永久、全球、非独占、免费、免版税、不可撤销的著作权许可，以复制、修改、公开展示、再许可和分发您的贡献。
3. **专利许可。**您就您的贡献必然实施的、您有权许可的专利权利要求，向上述接收者授予同样的专利许可。
4. **您的权利。**您声明每项贡献均为您的原创作品，或您有权提交；如您的雇主对其享有权利，雇主已同意您代表其贡献。
5. **不提供担保。**除法律另有规定外，您的贡献按"现状"提供，不附带任何形式的担保或条件。
6. **及时告知。**如上述任何声明不再属实，您同意告知社区。
`;
