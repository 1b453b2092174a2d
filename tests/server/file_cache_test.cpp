#include "switchboard/server/file_cache.hpp"
#include "temp_tree.hpp"

#include <gtest/gtest.h>

#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace switchboard::server {
namespace {

using namespace std::chrono;
namespace errc = boost::system::errc;

const sys_seconds some_time{seconds{1'700'000'000}};

TEST(file_cache, reads_a_file_with_its_mtime) {
    test::temp_tree t;
    auto p = t.write("a.txt", "hello");
    t.set_mtime("a.txt", some_time);
    file_cache cache(1024, 4096);
    auto f = cache.load(p);
    ASSERT_TRUE(f) << f.error().message();
    EXPECT_EQ(*f->bytes, "hello");
    EXPECT_EQ(f->mtime, some_time.time_since_epoch());
    EXPECT_EQ(cache.cached_bytes(), 5u);
}

TEST(file_cache, serves_from_memory_while_size_and_mtime_are_unchanged) {
    test::temp_tree t;
    auto p = t.write("a.txt", "aaaa");
    t.set_mtime("a.txt", some_time);
    file_cache cache(1024, 4096);
    ASSERT_EQ(*cache.load(p)->bytes, "aaaa");

    // Same size, mtime put back: the cache cannot tell, which shows it did not read again.
    t.write("a.txt", "bbbb");
    t.set_mtime("a.txt", some_time);
    EXPECT_EQ(*cache.load(p)->bytes, "aaaa");

    t.set_mtime("a.txt", some_time + 1s);
    EXPECT_EQ(*cache.load(p)->bytes, "bbbb");

    t.write("a.txt", "ccccc"); // size changed, mtime put back
    t.set_mtime("a.txt", some_time + 1s);
    EXPECT_EQ(*cache.load(p)->bytes, "ccccc");
    EXPECT_EQ(cache.cached_bytes(), 5u); // replaced, not added
}

TEST(file_cache, evicts_the_least_recently_used_to_stay_within_its_total) {
    test::temp_tree t;
    std::vector<std::filesystem::path> files;
    for (auto name : {"a", "b", "c"}) {
        files.push_back(t.write(name, std::string(40, name[0])));
        t.set_mtime(name, some_time);
    }
    const auto &a = files[0], &b = files[1], &c = files[2];
    file_cache cache(100, 100);
    ASSERT_TRUE(cache.load(a));
    ASSERT_TRUE(cache.load(b));
    ASSERT_TRUE(cache.load(a)); // a is now more recent than b
    ASSERT_TRUE(cache.load(c)); // b goes
    EXPECT_EQ(cache.cached_bytes(), 80u);

    // Rewrite all three behind the cache's back, same size and mtime: only a re-read sees it.
    for (auto name : {"a", "b", "c"}) {
        t.write(name, std::string(40, 'x'));
        t.set_mtime(name, some_time);
    }
    EXPECT_EQ(*cache.load(a)->bytes, std::string(40, 'a'));
    EXPECT_EQ(*cache.load(c)->bytes, std::string(40, 'c'));
    EXPECT_EQ(*cache.load(b)->bytes, std::string(40, 'x'));
}

TEST(file_cache, refuses_files_over_the_per_file_limit) {
    test::temp_tree t;
    auto p = t.write("big", std::string(101, 'x'));
    file_cache cache(100, 1000);
    auto f = cache.load(p);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error(), errc::file_too_large);
    EXPECT_EQ(cache.cached_bytes(), 0u);
    EXPECT_TRUE(cache.load(t.write("ok", std::string(100, 'x'))));
}

TEST(file_cache, serves_but_does_not_keep_a_file_larger_than_the_total) {
    test::temp_tree t;
    file_cache cache(100, 50);
    auto f = cache.load(t.write("f", std::string(60, 'x')));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->bytes->size(), 60u);
    EXPECT_EQ(cache.cached_bytes(), 0u);
}

TEST(file_cache, reports_missing_files_and_non_regular_files) {
    test::temp_tree t;
    file_cache cache(100, 100);
    auto missing = cache.load(t.root() / "nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), errc::no_such_file_or_directory);

    auto dir = cache.load(t.root());
    ASSERT_FALSE(dir);
    EXPECT_EQ(dir.error(), errc::no_such_file_or_directory);

    // A FIFO with no writer: opened non-blocking and refused, never waited on.
    auto fifo = t.root() / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto f = cache.load(fifo);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error(), errc::no_such_file_or_directory);
}

TEST(file_cache, reports_unreadable_files) {
    if (::geteuid() == 0)
        GTEST_SKIP() << "root reads any file";
    test::temp_tree t;
    auto p = t.write("secret", "x");
    ::chmod(p.c_str(), 0);
    file_cache cache(100, 100);
    auto f = cache.load(p);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error(), errc::permission_denied);
}

} // namespace
} // namespace switchboard::server
