using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting.Tests;

public class TablesTests
{
    [Fact]
    public void TextTable_RendersMarkdownCsvAndLatexWithEscaping()
    {
        var table = new TextTable("A % & B", ["name", "value"], [["a,b", "1 ± 2"], ["c|d", "x_y"]]);

        table.ToMarkdown().Should().Contain("| name | value |").And.Contain("| c\\|d | x_y |");
        table.ToCsv().Should().Be("name,value\r\n\"a,b\",1 ± 2\r\nc|d,x_y\r\n");
        table.ToLatex().Should().Contain(@"\caption{A \% \& B}").And.Contain(@"1 $\pm$ 2").And.Contain(@"x\_y");
        table.ToHtml().Should().Contain("<td>a,b</td>");
    }

    [Fact]
    public void TextTable_WithARowOfTheWrongWidth_FailsNamingIt()
    {
        Action act = () => _ = new TextTable("t", ["a", "b"], [["1", "2"], ["3"]]);

        act.Should().Throw<ArgumentException>().WithMessage("row 1 has 1 cells but the table has 2 columns*");
    }

    [Fact]
    public void CleanAccuracyTable_GivesMeanStdAndMarksTheLargestDrop()
    {
        // accuracy falls with the rate: 0.98 - rate, and the two repetitions differ by 0.01.
        var results = SyntheticResults.Grid(_ => 0.5, s => 0.98 - s.PoisoningRate - (0.01 * s.Repetition));

        TextTable table = CleanAccuracyTable.Build(results);

        table.Rows.Should().HaveCount(2 * 5);
        IReadOnlyList<string> top = table.Rows.Single(r => r[1] == "alexnet" && r[2] == "2 %");
        // mean of 30 x 0.96 and 30 x 0.95 = 0.955; sample sd 0.005 * sqrt(60 / 59) = 0.00504; 60 models (30 triggers x 2 repetitions); drop from 0.99.
        top[3].Should().Be("0.955 ± 0.005");
        top[4].Should().Be("60");
        top[5].Should().Be("+0.035 *");
        table.Rows.Single(r => r[1] == "alexnet" && r[2] == "0.5 %")[5].Should().Be("+0.020");
        table.Rows.Single(r => r[1] == "alexnet" && r[2] == "0 %")[3].Should().Be("0.990 ± 0.000");
    }

    [Theory]
    [InlineData(0.8, ">= 80 %")]
    [InlineData(0.79, "60-80 %")]
    [InlineData(0.6, "60-80 %")]
    [InlineData(0.59, "< 60 %")]
    public void TriggerCategory_UsesThePapersThresholds(double asr, string category)
    {
        TriggerCategoryTable.Category(asr).Should().Be(category);
    }

    [Fact]
    public void TriggerCategoryTable_TakesTheBestModelAtItsBestSizeAndRate()
    {
        // Only resnet152 with white triggers in the middle at the largest size and rate reaches 0.7 (mean of 0.6 and 0.8).
        var results = SyntheticResults.Grid(s =>
            s.Model == "resnet152" && s.Trigger!.Color == "#FFFFFF" && s.Trigger.Position == "middle" && s.Trigger.Size == 0.08 && s.PoisoningRate == 0.02
                ? 0.6 + (0.2 * s.Repetition)
                : 0.1);

        TextTable table = TriggerCategoryTable.Build(results);

        table.Rows.Should().HaveCount(5 * 2);
        table.Rows.Single(r => r[1] == "middle" && r[2] == "#FFFFFF").Should().Equal("mnist", "middle", "#FFFFFF", "resnet152", "0.700", "60-80 %");
        table.Rows.Where(r => r[5] == "< 60 %").Should().HaveCount(9);
    }
}
