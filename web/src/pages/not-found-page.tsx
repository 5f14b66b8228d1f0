import { Layout, PageTitle } from "../components/layout.js";
import { Link } from "../lib/router.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

export function NotFoundPage() {
  useDocumentTitle("Page not found");
  return (
    <Layout>
      <PageTitle>Page not found</PageTitle>
      <p className="lead">There is nothing at this address.</p>
      <Link className="button button-primary" href="/">
        Go to sign in
      </Link>
    </Layout>
  );
}
