using System.Globalization;
using System.Net;
using System.Text;
using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting;

/// <summary>Renders report sections as Markdown (figures linked) or as self-contained HTML (figures embedded as base64 PNG).</summary>
internal static class ReportPage
{
    private const string Heading = "Backdoor trigger study report";

    /// <summary>Renders Markdown; figure links are relative to <paramref name="root"/>.</summary>
    public static string ToMarkdown(IReadOnlyList<ReportSection> sections, string root)
    {
        var text = new StringBuilder($"# {Heading}\n\n");
        foreach (ReportSection section in sections)
        {
            text.Append("## ").Append(section.Title).Append("\n\n");
            foreach (string paragraph in section.Paragraphs)
            {
                text.Append("- ").Append(paragraph).Append('\n');
            }

            text.Append('\n');
            foreach (TextTable table in section.Tables)
            {
                text.Append(table.ToMarkdown()).Append('\n');
            }

            foreach ((string title, string png) in section.Figures)
            {
                string relative = Path.GetRelativePath(root, png).Replace('\\', '/');
                text.Append(CultureInfo.InvariantCulture, $"### {title}\n\n![{title}]({relative})\n\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Renders a self-contained HTML page.</summary>
    public static string ToHtml(IReadOnlyList<ReportSection> sections)
    {
        var text = new StringBuilder($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Heading}</title>\n<style>")
            .Append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:2px 8px}caption{font-weight:bold;text-align:left}img{max-width:100%}</style></head><body>\n")
            .Append($"<h1>{Heading}</h1>\n");
        foreach (ReportSection section in sections)
        {
            text.Append("<h2>").Append(WebUtility.HtmlEncode(section.Title)).Append("</h2>\n<ul>\n");
            foreach (string paragraph in section.Paragraphs)
            {
                text.Append("<li>").Append(WebUtility.HtmlEncode(paragraph)).Append("</li>\n");
            }

            text.Append("</ul>\n");
            foreach (TextTable table in section.Tables)
            {
                text.Append(table.ToHtml());
            }

            foreach ((string title, string png) in section.Figures)
            {
                text.Append("<h3>").Append(WebUtility.HtmlEncode(title)).Append("</h3>\n<img alt=\"").Append(WebUtility.HtmlEncode(title))
                    .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(File.ReadAllBytes(png))).Append("\">\n");
            }
        }

        return text.Append("</body></html>\n").ToString();
    }
}
