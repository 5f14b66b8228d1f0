import { useTranslation } from "react-i18next";
import { Layout, PageTitle, SupportLine } from "../components/layout.js";
import { Link } from "../lib/router.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("notFound.title"));
  return (
    <Layout>
      <PageTitle>{t("notFound.title")}</PageTitle>
      <p className="lead">{t("notFound.lead")}</p>
      <Link className="button button-primary" href="/">
        {t("notFound.back")}
      </Link>
      <SupportLine />
    </Layout>
  );
}
