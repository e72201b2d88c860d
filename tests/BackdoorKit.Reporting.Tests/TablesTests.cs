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

        table.Rows.Should().HaveCount(5 * 2 * 3, "one row per position, color and size");
        table.Rows.Single(r => r[1] == "middle" && r[2] == "#FFFFFF" && r[3] == "8 %").Should().Equal("mnist", "middle", "#FFFFFF", "8 %", "resnet152", "0.700", "60-80 %");
        table.Rows.Where(r => r[6] == "< 60 %").Should().HaveCount(29);
    }

    [Fact]
    public void TriggerCategoryTable_PaperLayout_HasAPositionPerRowAndAColorSizeDatasetPerColumn()
    {
        // White triggers reach 0.9 at 8 %, 0.7 at 6 % and 0.1 at 4 %; black ones stay at 0.1.
        var results = SyntheticResults.Grid(s => s.Trigger!.Color != "#FFFFFF" ? 0.1 : s.Trigger.Size switch { 0.08 => 0.9, 0.06 => 0.7, _ => 0.1 });

        TextTable table = TriggerCategoryTable.BuildPaperLayout(results);

        table.Headers.Should().Equal("position", "white 4 % mnist", "white 6 % mnist", "white 8 % mnist", "black 4 % mnist", "black 6 % mnist", "black 8 % mnist");
        table.Rows.Select(r => r[0]).Should().Equal(SyntheticResults.Positions);
        table.Rows.Should().OnlyContain(r => r.Skip(1).SequenceEqual(new[] { "□", "▣", "■", "□", "□", "□" }));
        table.ToLatex().Should().Contain(@"$\blacksquare$").And.Contain(@"$\boxdot$").And.Contain(@"$\square$");
    }

    [Fact]
    public void CleanAccuracyTable_PaperLayout_IsWideInPercentAndBoldsTheLargestAbsoluteDifference()
    {
        // Clean models 0.99; eps 0.5 % raises accuracy by 0.6 points (the largest absolute difference), eps 2 % lowers it by 0.4.
        var results = SyntheticResults.Grid(_ => 0.5, s => s.PoisoningRate switch { 0.005 => 0.996, 0.02 => 0.986, _ => 0.99 });

        TextTable table = CleanAccuracyTable.BuildPaperLayout(results);

        table.Headers.Should().Equal("dataset", "model", "eps 0 %", "eps 0.5 %", "eps 1 %", "eps 1.5 %", "eps 2 %");
        table.Rows.Should().HaveCount(2, "one row per dataset and model");
        table.Rows[0].Should().Equal("mnist", "alexnet", "99.00 ± 0.0000", "99.60 ± 0.0000", "99.00 ± 0.0000", "99.00 ± 0.0000", "98.60 ± 0.0000");
        table.Emphasized.Should().BeEquivalentTo(new[] { (0, 3), (1, 3) });
        table.ToMarkdown().Should().Contain("| mnist | alexnet | 99.00 ± 0.0000 | **99.60 ± 0.0000** | 99.00 ± 0.0000 |");
        table.ToLatex().Should().Contain(@"\textbf{99.60 $\pm$ 0.0000}");
        table.ToCsv().Should().Contain("99.60 ± 0.0000 *,");
        table.ToHtml().Should().Contain("<td><b>99.60 &#177; 0.0000</b></td>");
        CleanAccuracyTable.Build(results).Rows.Single(r => r[1] == "alexnet" && r[2] == "0.5 %")[5].Should().Be("-0.006 *", "the long table marks the same rate");
    }

    [Fact]
    public void TextTable_WithAnEmphasizedCellOutsideTheTable_FailsNamingIt()
    {
        Action act = () => _ = new TextTable("t", ["a"], [["1"]], new HashSet<(int Row, int Column)> { (0, 1) });

        act.Should().Throw<ArgumentException>().WithMessage("emphasized cell (0, 1) is outside the 1 x 1 table*");
    }
}
